package dev.abuseguard.overrides;

import dev.abuseguard.strategy.Quota;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of the hash {@code ag:{u:<id>}:o} as {@code decide-head.lua} reads them (its twin): {@code exempt}
 * (until ms, -1 until lifted), {@code reason}, {@code tier}, {@code l:<action>} ({@code limit:window ms}). A field
 * the script would not read as a number is left out here too, so the copy never decides on what Redis would not.
 */
final class OverridesHash {

    static final String EXEMPT = "exempt";
    static final String REASON = "reason";
    static final String TIER = "tier";
    static final String LIMIT = "l:";

    private OverridesHash() {
    }

    static String limit(Quota quota) {
        return quota.limit() + ":" + quota.windowMillis();
    }

    /** The overrides in the hash's fields; {@link UserOverride#NONE} for none (or a hash that is gone). */
    static UserOverride read(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return UserOverride.NONE;
        }
        long exemptUntil = exemptUntil(fields.get(EXEMPT));
        Map<String, Quota> limits = new HashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith(LIMIT) && field.length() > LIMIT.length()) {
                Quota quota = quota(value);
                if (quota != null) {
                    limits.put(field.substring(LIMIT.length()), quota);
                }
            }
        });
        return new UserOverride(exemptUntil, fields.get(REASON), fields.get(TIER), limits);
    }

    private static long exemptUntil(String value) {
        if (value == null) {
            return 0;
        }
        try {
            long until = Long.parseLong(value);
            return until < 0 ? -1 : until;
        } catch (NumberFormatException unreadable) {
            return 0;
        }
    }

    /** {@code limit:window ms} as the script's {@code ^(%d+):(%d+)$}, or {@code null}. */
    private static Quota quota(String value) {
        int colon = value.indexOf(':');
        if (colon < 1 || colon == value.length() - 1 || !digits(value, 0, colon)
                || !digits(value, colon + 1, value.length())) {
            return null;
        }
        try {
            return new Quota(Long.parseLong(value.substring(0, colon)), Long.parseLong(value.substring(colon + 1)), 0);
        } catch (IllegalArgumentException outOfRange) {
            return null;
        }
    }

    private static boolean digits(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
