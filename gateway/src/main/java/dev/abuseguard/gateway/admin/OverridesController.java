package dev.abuseguard.gateway.admin;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.overrides.ExemptUser;
import dev.abuseguard.overrides.OverridesProperties;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.policy.SlidingLogCap;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import java.security.Principal;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code /admin/api/users/{id}/exempt|limits/{action}|tier} and {@code /admin/api/exempt}: the operator's word. */
@RestController
@RequestMapping("/admin/api")
class OverridesController {


    private final UserOverrides overrides;
    private final OverridesProperties configured;
    private final Tiers tiers;
    private final AbuseRegistry registry;
    private final AbuseEvents events;
    private final LivePolicies policies;

    OverridesController(UserOverrides overrides, OverridesProperties configured, Tiers tiers, AbuseRegistry registry,
                        AbuseEvents events, LivePolicies policies) {
        this.overrides = overrides;
        this.configured = configured;
        this.tiers = tiers;
        this.registry = registry;
        this.events = events;
        this.policies = policies;
    }

    record ExemptRequest(String reason, String duration) {
    }

    record LimitRequest(Long limit, String window) {
    }

    record TierRequest(String tier) {
    }

    /** Exempting lifts the user's block too, so the copies of blocks on every instance let the user through. */
    @PutMapping("/users/{id}/exempt")
    Mono<ResponseEntity<Void>> exempt(@PathVariable String id, @RequestBody(required = false) Mono<ExemptRequest> body,
                                      Principal admin) {
        String userId = validated(id);
        return body.defaultIfEmpty(new ExemptRequest(null, null)).flatMap(request -> {
            Duration duration = AdminInput.duration(request.duration(), "duration", true);
            String reason = request.reason() == null ? "" : request.reason();
            return overrides.exempt(userId, reason, duration)
                    .then(registry.unban(userId).then())
                    .then(audit(userId, admin, "exempt " + (duration == null ? "until lifted" : "for " + duration)
                            + (reason.isEmpty() ? "" : "; reason: " + reason)));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/exempt")
    Mono<ResponseEntity<Void>> liftExempt(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return overrides.liftExempt(userId).flatMap(was -> answer(was, userId, admin, "exempt lifted"));
    }

    @GetMapping("/exempt")
    Flux<ExemptUser> exempted(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw AdminInput.badRequest("limit", "limit must be 1 to 1000.");
        }
        return Flux.fromIterable(configured.exemptUsers()).map(u -> new ExemptUser(u, "configuration", -1))
                .concatWith(overrides.exempted(limit)).take(limit);
    }

    @PutMapping("/users/{id}/limits/{action}")
    Mono<ResponseEntity<Void>> limit(@PathVariable String id, @PathVariable String action,
                                     @RequestBody Mono<LimitRequest> body, Principal admin) {
        String userId = validated(id);
        ActionPolicy policy = known(action);
        return body.flatMap(request -> {
            if (request.limit() == null || request.limit() < 1) {
                throw AdminInput.badRequest("limit", "limit must be a positive whole number.");
            }
            Duration window = AdminInput.duration(request.window(), "window", false);
            if (policy.strategy() == StrategyType.SLIDING_WINDOW && request.limit() > SlidingLogCap.MAX_LIMIT) {
                throw AdminInput.badRequest("limit", action + " is a sliding-window action: limit must be at most "
                        + SlidingLogCap.MAX_LIMIT + ".");
            }
            Quota quota;
            try {
                quota = new Quota(request.limit(), window.toMillis(), policy.maxDelay().toMillis());
            } catch (IllegalArgumentException e) {
                throw AdminInput.badRequest("limit", e.getMessage());
            }
            return overrides.limit(userId, action, quota).then(audit(userId, admin,
                    "limit of " + action + " " + quota.limit() + " per " + window));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/limits/{action}")
    Mono<ResponseEntity<Void>> clearLimit(@PathVariable String id, @PathVariable String action, Principal admin) {
        String userId = validated(id);
        known(action);
        return overrides.clearLimit(userId, action)
                .flatMap(was -> answer(was, userId, admin, "limit of " + action + " back to the tier's or action's"));
    }

    @PutMapping("/users/{id}/tier")
    Mono<ResponseEntity<Void>> tier(@PathVariable String id, @RequestBody Mono<TierRequest> body, Principal admin) {
        String userId = validated(id);
        return body.flatMap(request -> {
            if (request.tier() == null || !tiers.exists(request.tier())) {
                throw AdminInput.badRequest("tier", "tier must name a tier of abuse-guard.tiers.");
            }
            return overrides.tier(userId, request.tier()).then(audit(userId, admin, "tier " + request.tier()));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/tier")
    Mono<ResponseEntity<Void>> clearTier(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return overrides.clearTier(userId).flatMap(was -> answer(was, userId, admin, "tier removed"));
    }

    private Mono<Void> audit(String userId, Principal admin, String detail) {
        return events.admin(EventType.OVERRIDE, userId, 0, admin.getName(), detail, 0);
    }

    /** 204 once what was there is removed and audited, 404 when there was nothing to remove. */
    private Mono<ResponseEntity<Void>> answer(boolean was, String userId, Principal admin, String detail) {
        return was ? audit(userId, admin, detail).thenReturn(ResponseEntity.noContent().build())
                : Mono.just(ResponseEntity.notFound().build());
    }

    private ActionPolicy known(String action) {
        ActionPolicy policy = policies.current().properties().actions().get(action);
        if (policy == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no action named " + action);
        }
        return policy;
    }

    private String validated(String id) {
        return AdminInput.userId(id, policies.current().properties().identity().pattern());
    }
}
