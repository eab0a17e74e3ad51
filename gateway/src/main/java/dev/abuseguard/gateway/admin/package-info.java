/**
 * The admin API ({@code /admin/api}), its bearer-token security (only {@code /admin/**} and
 * {@code /actuator/**} pass through it) and the dashboard page.
 *
 * <p>May import: {@code registry}, {@code audit}, {@code abuse}, {@code policy}.
 */
package dev.abuseguard.gateway.admin;
