package dev.abuseguard.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Profile {@code demo}: stand-ins for the bot's backends, served in-process on the ports routes.yml
 * points at by default, so the gateway can be tried with nothing else running.
 */
@Component
@Profile("demo")
class DemoBackends implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoBackends.class);
    private static final Map<String, Integer> BACKENDS = Map.of("packs", 9001, "payments", 9002, "auth", 9003,
            "api", 9004);

    private final List<DisposableServer> servers = new ArrayList<>();

    @Override
    public void start() {
        BACKENDS.forEach((name, port) -> {
            servers.add(HttpServer.create().host("127.0.0.1").port(port)
                    .handle((request, response) -> response.header("Content-Type", "application/json")
                            .status(name.equals("auth") && "wrong".equals(request.requestHeaders().get("X-Password"))
                                    ? 401 : 200)
                            .sendString(Mono.just("{\"backend\":\"" + name + "\",\"method\":\"" + request.method()
                                    + "\",\"path\":\"" + request.path() + "\"}\n"), StandardCharsets.UTF_8))
                    .bindNow());
            log.info("demo backend '{}' listening on 127.0.0.1:{}", name, port);
        });
    }

    @Override
    public void stop() {
        servers.forEach(DisposableServer::disposeNow);
        servers.clear();
    }

    @Override
    public boolean isRunning() {
        return !servers.isEmpty();
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE; // up before the gateway takes requests
    }
}
