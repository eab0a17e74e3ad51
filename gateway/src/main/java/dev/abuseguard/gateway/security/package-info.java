/**
 * The gateway's own endpoints ({@code /admin/**}, {@code /actuator/**}) as against proxied traffic: the actuator's
 * bearer-token security beside the library's admin API, Spring Security's firewall and chains kept off proxied
 * requests ({@code OwnEndpointsOnly}), and the demo profile's generated admin token.
 *
 * <p>May import: {@code admin.web} (the admin token's chain), {@code policy}.
 */
package dev.abuseguard.gateway.security;
