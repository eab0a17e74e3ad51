/**
 * The abuse score as pure arithmetic: the per-user record ({@code AbuseRecord}), how a violation raises it,
 * how it decays, and the scoring rules. No I/O, no framework.
 *
 * <p>May import: {@code java.*} only.
 */
package dev.abuseguard.abuse;
