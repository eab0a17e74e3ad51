package dev.abuseguard.gateway.admin;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.abuse.UserStanding;
import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.AuditEvent;
import dev.abuseguard.audit.AuditTrail;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.registry.AbuseStats;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /admin/api}: see who abuses, act on one user, read and follow the audit trail. Never routed to a backend. */
@RestController
@RequestMapping("/admin/api")
class AdminController {

    private final AbuseRegistry registry;
    private final AuditTrail trail;
    private final AbuseEvents events;
    private final LivePolicies policies;

    AdminController(AbuseRegistry registry, AuditTrail trail, AbuseEvents events, LivePolicies policies) {
        this.registry = registry;
        this.trail = trail;
        this.events = events;
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
        return registry.stats(policies.current().properties().abuse().highAbuseThreshold());
    }

    @GetMapping("/users")
    Flux<UserStanding> users(@RequestParam(defaultValue = "0") long minScore,
                             @RequestParam(defaultValue = "50") int limit) {
        if (minScore < 0 || limit < 1 || limit > 1000) {
            throw AdminInput.badRequest(minScore < 0 ? "minScore" : "limit", "minScore must be 0 or more and limit 1 to 1000.");
        }
        return registry.users(minScore, limit);
    }

    @GetMapping("/users/{id}")
    Mono<UserDetail> user(@PathVariable String id) {
        return registry.user(validated(id))
                .map(AdminController::detail)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no record of user " + id)));
    }

    @PostMapping("/users/{id}/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> reset(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return registry.reset(userId).then(events.admin(EventType.RESET, userId, 0, admin.getName(), "", 0));
    }

    @PostMapping("/users/{id}/ban")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> ban(@PathVariable String id, @RequestBody(required = false) Mono<BanRequest> body, Principal admin) {
        String userId = validated(id);
        return body.defaultIfEmpty(new BanRequest(null, null)).flatMap(request -> {
            Duration duration = AdminInput.duration(request.duration(), "duration", true);
            String reason = request.reason() == null ? "" : request.reason();
            String detail = (duration == null ? "until unbanned" : "for " + duration)
                    + (reason.isEmpty() ? "" : "; reason: " + reason);
            long until = duration == null ? -2 : System.currentTimeMillis() + duration.toMillis();
            return registry.ban(userId, duration)
                    .flatMap(score -> events.admin(EventType.BAN, userId, score, admin.getName(), detail, until));
        }).then();
    }

    @DeleteMapping("/users/{id}/ban")
    Mono<ResponseEntity<Void>> unban(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return registry.unban(userId)
                .flatMap(score -> events.admin(EventType.UNBLOCK, userId, score, admin.getName(), "", 0)
                        .thenReturn(ResponseEntity.noContent().<Void>build()))
                .defaultIfEmpty(ResponseEntity.notFound().build());
    }

    @GetMapping(value = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
    Flux<AuditEvent> events(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw AdminInput.badRequest("limit", "limit must be 1 to 1000.");
        }
        return trail.recent(limit);
    }

    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<AuditEvent>> liveEvents() {
        return trail.follow().map(event -> ServerSentEvent.builder(event).id(event.id())
                .event(event.type().wireName()).build());
    }

    private String validated(String id) {
        return AdminInput.userId(id, policies.current().properties().identity().pattern());
    }

    private static UserDetail detail(UserHistory history) {
        UserStanding s = history.standing();
        return new UserDetail(s.userId(), s.score(), s.blocked(), s.blockedUntil(), s.violations(), s.lastAction(),
                s.lastViolationAt(), s.blocks(), history.violations().stream()
                .map(v -> new HistoryEntry(v.action(), v.atMillis(), v.scoreAfter())).toList());
    }
}
