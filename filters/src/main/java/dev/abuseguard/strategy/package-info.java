/**
 * The five rate-limit strategies as pure functions (state + now in, verdict + state out, integer arithmetic),
 * each with a Lua twin of the same name under {@code resources/dev/abuseguard/strategy/}.
 *
 * <p>May import: {@code java.*} only.
 */
package dev.abuseguard.strategy;
