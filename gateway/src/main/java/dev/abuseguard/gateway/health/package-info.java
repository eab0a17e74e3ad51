/**
 * The health of the decision store: {@code UP}, or {@code DEGRADED} while actions fall back.
 *
 * <p>May import: {@code decision}.
 */
package dev.abuseguard.gateway.health;
