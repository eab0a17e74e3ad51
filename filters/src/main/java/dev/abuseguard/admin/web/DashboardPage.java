package dev.abuseguard.admin.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /admin}: the dashboard, one static page shipped in the jar. The token is typed into the page. A
 * controller rather than a router function: an application can keep controllers' mappings off proxied requests
 * (the gateway application does), where a router function would be tried for every proxied request.
 */
@Controller
class DashboardPage {

    private final Resource page = new ClassPathResource("dev/abuseguard/admin/web/dashboard.html");

    @GetMapping({"/admin", "/admin/"})
    ResponseEntity<Resource> dashboard() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(page);
    }
}
