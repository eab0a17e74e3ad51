package dev.abuseguard.gateway.admin;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.overrides.ExemptUser;
import dev.abuseguard.overrides.OverridesProperties;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.strategy.Quota;
import java.security.Principal;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
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

    private static final Pattern NEVER_IN_IDS = Pattern.compile("[{}\\s\\p{Cntrl}]");

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
            Duration duration = duration(request.duration(), "duration", true);
            String reason = request.reason() == null ? "" : request.reason();
            return overrides.exempt(userId, reason, duration)
                    .then(registry.unban(userId).onErrorResume(e -> Mono.empty()).then())
                    .then(Mono.fromRunnable(() -> audit(userId, admin, "exempt "
                            + (duration == null ? "until lifted" : "for " + duration)
                            + (reason.isEmpty() ? "" : "; reason: " + reason))));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/exempt")
    Mono<ResponseEntity<Void>> liftExempt(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return overrides.liftExempt(userId).map(was -> {
            if (was) {
                audit(userId, admin, "exempt lifted");
            }
            return was ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build();
        });
    }

    @GetMapping("/exempt")
    Flux<ExemptUser> exempted(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1..1000");
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
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be a positive number");
            }
            Duration window = duration(request.window(), "window", false);
            Quota quota;
            try {
                quota = new Quota(request.limit(), window.toMillis(), policy.maxDelay().toMillis());
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
            return overrides.limit(userId, action, quota).then(Mono.fromRunnable(() -> audit(userId, admin,
                    "limit of " + action + " " + quota.limit() + " per " + window)));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/limits/{action}")
    Mono<ResponseEntity<Void>> clearLimit(@PathVariable String id, @PathVariable String action, Principal admin) {
        String userId = validated(id);
        known(action);
        return overrides.clearLimit(userId, action).map(was -> {
            if (was) {
                audit(userId, admin, "limit of " + action + " back to the tier's or action's");
            }
            return was ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build();
        });
    }

    @PutMapping("/users/{id}/tier")
    Mono<ResponseEntity<Void>> tier(@PathVariable String id, @RequestBody Mono<TierRequest> body, Principal admin) {
        String userId = validated(id);
        return body.flatMap(request -> {
            if (request.tier() == null || !tiers.exists(request.tier())) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "tier must name a tier of abuse-guard.tiers");
            }
            return overrides.tier(userId, request.tier())
                    .then(Mono.fromRunnable(() -> audit(userId, admin, "tier " + request.tier())));
        }).thenReturn(ResponseEntity.noContent().build());
    }

    @DeleteMapping("/users/{id}/tier")
    Mono<ResponseEntity<Void>> clearTier(@PathVariable String id, Principal admin) {
        String userId = validated(id);
        return overrides.clearTier(userId).map(was -> {
            if (was) {
                audit(userId, admin, "tier removed");
            }
            return was ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build();
        });
    }

    private void audit(String userId, Principal admin, String detail) {
        events.admin(EventType.OVERRIDE, userId, 0, admin.getName(), detail, 0);
    }

    private ActionPolicy known(String action) {
        ActionPolicy policy = policies.current().properties().actions().get(action);
        if (policy == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no action named " + action);
        }
        return policy;
    }

    private String validated(String id) {
        String pattern = policies.current().properties().identity().pattern();
        if (id.length() > 128 || NEVER_IN_IDS.matcher(id).find() || !id.matches(pattern)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "user id must match " + pattern);
        }
        return id;
    }

    private static Duration duration(String text, String field, boolean optional) {
        if (text == null || text.isBlank()) {
            if (optional) {
                return null;
            }
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " is required, like 30m, 1h or 7d");
        }
        try {
            Duration duration = DurationStyle.detectAndParse(text.trim());
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " must be like 30m, 1h or 7d");
        }
    }
}
