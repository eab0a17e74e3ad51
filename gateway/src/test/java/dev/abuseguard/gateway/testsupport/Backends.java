package dev.abuseguard.gateway.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** WireMock stand-ins for the bot's backends, on loopback. */
public final class Backends {

    private Backends() {
    }

    /** A started backend with no stubs yet. */
    public static WireMockServer started() {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40));
        backend.start();
        return backend;
    }

    /** A started backend that answers every request with 200 "ok". */
    public static WireMockServer answeringOk() {
        WireMockServer backend = started();
        answerOk(backend);
        return backend;
    }

    public static void answerOk(WireMockServer backend) {
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }
}
