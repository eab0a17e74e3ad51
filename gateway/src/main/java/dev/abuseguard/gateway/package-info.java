/**
 * The abuse-guard application: Spring Cloud Gateway with the library's AbuseGuard filter on the routes of
 * {@code routes.yml}, and stand-in backends for the {@code demo} profile.
 *
 * <p>May import: the library ({@code dev.abuseguard.*}) and its own sub-packages.
 */
package dev.abuseguard.gateway;
