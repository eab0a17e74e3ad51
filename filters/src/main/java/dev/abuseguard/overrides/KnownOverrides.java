package dev.abuseguard.overrides;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's copy of the overrides kept in Redis, bounded: what the local fallback decides by while Redis
 * is away, so that an exempt user stays exempt and an overridden one keeps their limit through an outage. Read
 * only by fallback decisions, never on the path of a decision Redis makes.
 *
 * <p>A full read is older news than any change heard while it was in flight: every change heard moves a
 * generation on, and a read begun in an earlier generation is dropped (the next one replaces the copy), so a
 * reload can never undo an admin's change that reached this instance first.
 */
public final class KnownOverrides implements LocalOverrides {

    private final Cache<String, UserOverride> users;
    private final AtomicLong generation = new AtomicLong();

    /** @param maxUsers how many users' overrides the copy holds at most */
    public KnownOverrides(long maxUsers) {
        this.users = Caffeine.newBuilder().maximumSize(maxUsers).executor(Runnable::run).build();
    }

    @Override
    public UserOverride get(String userId) {
        return users.getIfPresent(userId);
    }

    /** Where a full read starts: it replaces the copy only if no change is heard meanwhile. */
    public long generation() {
        return generation.get();
    }

    /** An admin changed the user's overrides: a full read in flight is too old from now on. */
    public void changing() {
        generation.incrementAndGet();
    }

    /** The user's overrides as just read from Redis ({@link UserOverride#NONE} or empty: none left). */
    public void put(String userId, UserOverride override) {
        synchronized (generation) { // not between a full read's clearing and its filling
            keep(userId, override);
        }
    }

    private void keep(String userId, UserOverride override) {
        if (override.empty()) {
            users.invalidate(userId);
        } else {
            users.put(userId, override);
        }
    }

    /**
     * Replaces the copy with a full read of Redis' overrides, begun in {@code readInGeneration}.
     *
     * @return whether the copy was replaced
     */
    public boolean replaceAll(Map<String, UserOverride> read, long readInGeneration) {
        synchronized (generation) {
            if (generation.get() != readInGeneration) {
                return false;
            }
            // filled before it is emptied of the users no longer overridden: a fallback decision reading meanwhile
            // never finds an overridden user missing
            read.forEach(this::keep);
            users.asMap().keySet().removeIf(user -> !read.containsKey(user));
            return true;
        }
    }

    public long size() {
        users.cleanUp();
        return users.estimatedSize();
    }
}
