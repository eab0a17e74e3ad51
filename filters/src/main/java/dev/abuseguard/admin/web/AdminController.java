package dev.abuseguard.admin.web;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.admin.Actor;
import dev.abuseguard.admin.UserActions;
import dev.abuseguard.audit.AuditEvent;
import dev.abuseguard.audit.AuditTrail;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.registry.AbuseStats;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /admin/api}: see who abuses, act on one user, read and follow the audit trail. Never routed to a backend. */
@RestController
@RequestMapping("/admin/api")
class AdminController {

    private static final int MAX_LISTED = 1000;

    private final AbuseRegistry registry;
    private final AuditTrail trail;
    private final UserActions actions;
    private final LivePolicies policies;

    AdminController(AbuseRegistry registry, AuditTrail trail, UserActions actions, LivePolicies policies) {
        this.registry = registry;
        this.trail = trail;
        this.actions = actions;
        this.policies = policies;
    }

    /** An optional ban body: {@code {"duration": "1h", "reason": "spam"}}. */
    record BanRequest(String duration, String reason) {
    }

    /** A user and the last violations, newest first; {@code blocks}: automatic blocks while the record is kept. */
    record UserDetail(String userId, long score, boolean blocked, long blockedUntil, long violations,
                      String lastAction, long lastViolationAt, long blocks, List<HistoryEntry> history) {
    }

    record HistoryEntry(String action, long at, long scoreAfter) {
    }

    @GetMapping("/stats")
    Mono<AbuseStats> stats() {
        return registry.stats(policies.current().settings().abuse().highAbuseThreshold());
    }

    @GetMapping("/users")
    Flux<UserStanding> users(ServerHttpRequest request) {
        long minScore = QueryNumbers.number(request, "minScore", 0, 0, Long.MAX_VALUE);
        int limit = (int) QueryNumbers.number(request, "limit", 50, 1, MAX_LISTED);
        return registry.users(minScore, limit);
    }

    @GetMapping("/users/{id}")
    Mono<UserDetail> user(@PathVariable String id) {
        return actions.history(id).map(AdminController::detail);
    }

    @PostMapping("/users/{id}/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> reset(@PathVariable String id, Principal admin) {
        return actions.reset(id, Actor.named(admin.getName()));
    }

    @PostMapping("/users/{id}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> ban(@PathVariable String id, @RequestBody(required = false) Mono<BanRequest> body, Principal admin) {
        actions.userId(id); // a bad id is named before the body is read
        return body.defaultIfEmpty(new BanRequest(null, null))
                .flatMap(request -> actions.ban(id, request.duration(), request.reason(),
                        Actor.named(admin.getName())));
    }

    @DeleteMapping("/users/{id}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unban(@PathVariable String id, Principal admin) {
        return actions.unban(id, Actor.named(admin.getName()));
    }

    @GetMapping(value = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
    Flux<AuditEvent> events(ServerHttpRequest request) {
        return trail.recent((int) QueryNumbers.number(request, "limit", 100, 1, MAX_LISTED));
    }

    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<AuditEvent>> liveEvents() {
        return trail.follow().map(event -> ServerSentEvent.builder(event).id(event.id())
                .event(event.type().wireName()).build());
    }

    private static UserDetail detail(UserHistory history) {
        UserStanding s = history.standing();
        return new UserDetail(s.userId(), s.score(), s.blocked(), s.blockedUntil(), s.violations(), s.lastAction(),
                s.lastViolationAt(), s.blocks(), history.violations().stream()
                .map(v -> new HistoryEntry(v.action(), v.atMillis(), v.scoreAfter())).toList());
    }
}
