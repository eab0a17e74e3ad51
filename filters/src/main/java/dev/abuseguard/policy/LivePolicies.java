package dev.abuseguard.policy;

import dev.abuseguard.abuse.ScoringRules;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration in force: one immutable snapshot, replaced whole when an operator refreshes a valid
 * configuration. The only mutable reference in the library, so that limits change without a restart.
 */
public final class LivePolicies {

    /** The settings a refresh changes, with what is derived from them built once. */
    public record Snapshot(LiveSettings settings, ActionPolicies actions, ScoringRules rules) {

        public static Snapshot of(AbuseGuardProperties properties) {
            LiveSettings live = properties.live();
            return new Snapshot(live, new ActionPolicies(live.actions(), live.shadow()), live.abuse().rules());
        }
    }

    private final AtomicReference<Snapshot> current;

    public LivePolicies(AbuseGuardProperties initial) {
        this.current = new AtomicReference<>(Snapshot.of(initial));
    }

    public Snapshot current() {
        return current.get();
    }

    public ScoringRules rules() {
        return current.get().rules();
    }

    public void replace(AbuseGuardProperties next) {
        current.set(Snapshot.of(next));
    }
}
