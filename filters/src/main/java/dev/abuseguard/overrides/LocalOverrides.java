package dev.abuseguard.overrides;

/** Overrides this instance can read without I/O, on the decision's own thread. */
public interface LocalOverrides {

    /** The user's overrides, or {@code null} when there are none. */
    UserOverride get(String userId);
}
