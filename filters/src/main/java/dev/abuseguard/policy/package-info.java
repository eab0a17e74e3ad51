/**
 * Configuration as immutable, validated records ({@code abuse-guard.*}) and the policies in force, swapped
 * whole on a live refresh.
 *
 * <p>May import: {@code strategy}, {@code abuse}.
 */
package dev.abuseguard.policy;
