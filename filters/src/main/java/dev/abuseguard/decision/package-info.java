/**
 * The decision contract and the chain of decorators around the store that decides: {@code Decision},
 * {@code DecisionStore}, {@code SharedDecisionStore}, and {@code DecisionChain} (observed → near cache of
 * blocks → fail-over → shared or local store). The filter imports only this package of the store side.
 *
 * <p>May import: {@code policy}, {@code audit}; never a store implementation ({@code memory}, {@code redis})
 * or Lettuce.
 */
package dev.abuseguard.decision;
