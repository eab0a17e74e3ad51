/**
 * The decision contract and the chain of links around the store that decides: {@code Decision},
 * {@code DecisionStore}, {@code SharedDecisionStore}, and {@code DecisionChain}, whose {@code Link} lists the links
 * in the order a decision meets them. What the chain reports goes to {@code DecisionEvents} and
 * {@code DecisionListener}, which other packages implement. The filter imports only this package of the store side.
 *
 * <p>May import: {@code abuse}, {@code policy}, {@code strategy}, {@code logging}; never a store implementation ({@code
 * memory},
 * {@code redis}), the audit trail or Lettuce.
 */
package dev.abuseguard.decision;
