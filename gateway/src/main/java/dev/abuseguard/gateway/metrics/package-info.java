/**
 * Gauges of the abuse registry (blocked and high-abuse users), refreshed off the request path.
 *
 * <p>May import: {@code registry}, {@code policy}.
 */
package dev.abuseguard.gateway.metrics;
