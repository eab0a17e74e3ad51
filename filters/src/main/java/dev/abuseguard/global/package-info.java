/**
 * Global limits per action: all users of an action together, on every instance. Each instance counts what it
 * admits in memory, lock-free ({@link dev.abuseguard.global.GlobalCounter}), and every
 * {@code global-sync-interval} adds its counts to a shared counter in Redis and learns the total, all actions in
 * one script call ({@link dev.abuseguard.global.GlobalSync}), as Kong's {@code sync_rate} does; the request path
 * never waits on Redis for it.
 */
package dev.abuseguard.global;
