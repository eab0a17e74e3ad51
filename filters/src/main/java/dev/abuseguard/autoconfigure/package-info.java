/**
 * Spring Boot glue: builds the stores, the decision chain, the registry, the audit trail and the filter factory
 * from {@code abuse-guard.*} and {@code spring.data.redis.*}, and guards live refreshes.
 *
 * <p>May import: every package of the library; nothing imports it.
 */
package dev.abuseguard.autoconfigure;
