/**
 * The admin's view of abusers ({@code AbuseRegistry}): stats, users, history, reset, ban and unban, over the
 * in-memory store, over Redis, or both ({@code SharedAbuseRegistry}, which also tells every instance).
 *
 * <p>May import: {@code abuse}, {@code policy}, {@code memory}, {@code redis}, {@code lettuce}.
 */
package dev.abuseguard.registry;
