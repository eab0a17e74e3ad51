/**
 * What an operator does to one user, the same through every way in (the admin API, a moderator's command):
 * {@code UserActions} checks the input as the filter would, makes the change and audits it.
 *
 * <p>May import: {@code abuse}, {@code audit}, {@code filter}, {@code overrides}, {@code policy}, {@code registry},
 * {@code strategy}.
 */
package dev.abuseguard.admin;
