package dev.abuseguard.admin.web;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.admin.Actor;
import dev.abuseguard.admin.UserActions;
import dev.abuseguard.overrides.ExemptUser;
import dev.abuseguard.overrides.UserOverrides;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /admin/api/users/{id}/exempt|limits/{action}|tier} and {@code /admin/api/exempt}: the operator's word. */
@RestController
@RequestMapping("/admin/api")
class OverridesController {

    private static final int MAX_LISTED = 1000;

    private final UserActions actions;
    private final UserOverrides overrides;
    private final AbuseGuardProperties configured;

    OverridesController(UserActions actions, UserOverrides overrides, AbuseGuardProperties configured) {
        this.actions = actions;
        this.overrides = overrides;
        this.configured = configured;
    }

    record ExemptRequest(String reason, String duration) {
    }

    record LimitRequest(Long limit, String window) {
    }

    record TierRequest(String tier) {
    }

    @PutMapping("/users/{id}/exempt")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> exempt(@PathVariable String id, @RequestBody(required = false) Mono<ExemptRequest> body,
                      Principal admin) {
        actions.userId(id);
        return body.defaultIfEmpty(new ExemptRequest(null, null))
                .flatMap(request -> actions.exempt(id, request.reason(), request.duration(),
                        Actor.named(admin.getName())));
    }

    @DeleteMapping("/users/{id}/exempt")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> liftExempt(@PathVariable String id, Principal admin) {
        return actions.liftExempt(id, Actor.named(admin.getName()));
    }

    /** The configured exempt users first, then those exempted through the admin API. */
    @GetMapping("/exempt")
    Flux<ExemptUser> exempted(ServerHttpRequest request) {
        int limit = (int) QueryNumbers.number(request, "limit", 100, 1, MAX_LISTED);
        return Flux.fromIterable(configured.exemptUsers()).map(u -> new ExemptUser(u, "configuration", -1))
                .concatWith(overrides.exempted(limit)).take(limit);
    }

    @PutMapping("/users/{id}/limits/{action}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> limit(@PathVariable String id, @PathVariable String action, @RequestBody Mono<LimitRequest> body,
                     Principal admin) {
        actions.userId(id);
        return body.flatMap(request -> actions.limit(id, action, request.limit(), request.window(),
                Actor.named(admin.getName())));
    }

    @DeleteMapping("/users/{id}/limits/{action}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> clearLimit(@PathVariable String id, @PathVariable String action, Principal admin) {
        return actions.clearLimit(id, action, Actor.named(admin.getName()));
    }

    @PutMapping("/users/{id}/tier")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> tier(@PathVariable String id, @RequestBody Mono<TierRequest> body, Principal admin) {
        actions.userId(id);
        return body.flatMap(request -> actions.tier(id, request.tier(), Actor.named(admin.getName())));
    }

    @DeleteMapping("/users/{id}/tier")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> clearTier(@PathVariable String id, Principal admin) {
        return actions.clearTier(id, Actor.named(admin.getName()));
    }
}
