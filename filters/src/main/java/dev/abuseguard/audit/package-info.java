/**
 * What happened, for operators: audit events and their trail (in memory, or a bounded Redis stream shared by
 * the instances), the structured log line of each, and webhook alerts on new blocks. {@code AbuseEvents} is the
 * chain's {@code DecisionEvents}.
 *
 * <p>May import: {@code abuse}, {@code decision}, {@code policy}, {@code logging}, {@code redis} and
 * {@code lettuce} (for the Redis trail).
 */
package dev.abuseguard.audit;
