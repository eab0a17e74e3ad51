/**
 * Gauges of the abuse registry (blocked and high-abuse users), refreshed off the request path, and which
 * requests are timed (the gateway's own endpoints, not proxied traffic).
 *
 * <p>May import: {@code registry}, {@code policy}, {@code gateway.security} (which endpoints are the gateway's own).
 */
package dev.abuseguard.gateway.metrics;
