/**
 * The Redis store: one Lua script per decision (head, strategy, tail), the key names under each user's hash
 * tag, the abuse-record format the scripts share, and the pub/sub of block invalidations.
 *
 * <p>May import: {@code decision}, {@code strategy}, {@code abuse}, {@code policy}, {@code lettuce}, {@code logging}.
 */
package dev.abuseguard.redis;
