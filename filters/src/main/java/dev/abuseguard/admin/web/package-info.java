/**
 * The admin API ({@code /admin/api}) and the dashboard ({@code /admin}) for any Spring Cloud Gateway application
 * with Spring Security: {@code AdminApi} brings the controllers, the admin token's security chain and the problem
 * bodies; the auto-configuration imports it when {@code abuse-guard.admin.enabled} is true.
 *
 * <p>May import: {@code abuse}, {@code admin}, {@code audit}, {@code discord} (the moderators' command to register),
 * {@code overrides}, {@code policy}, {@code registry}, {@code trends}.
 */
package dev.abuseguard.admin.web;
