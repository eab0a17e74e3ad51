/**
 * Trend analysis: per-minute counts of decisions by action and outcome, and the users with the most
 * violations. Counted in memory on the request path ({@link dev.abuseguard.trends.TrendRecorder}), added to
 * Redis by each instance every few seconds in one script call ({@link dev.abuseguard.trends.RedisTrendStore}),
 * and kept in memory too, so an instance without Redis still serves its own counts.
 */
package dev.abuseguard.trends;
