package dev.abuseguard.gateway.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /admin}: the dashboard, one static page shipped in the jar. The token is typed into the page. */
@Configuration(proxyBeanMethods = false)
class DashboardRoute {

    @Bean
    RouterFunction<ServerResponse> dashboard() {
        ClassPathResource page = new ClassPathResource("admin/index.html");
        return RouterFunctions.route()
                .GET("/admin", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page))
                .GET("/admin/", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page))
                .build();
    }
}
