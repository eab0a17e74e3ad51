package dev.abuseguard.decision;

/**
 * A link of the {@link DecisionChain} that lives outside this package (the global limits, the operator's
 * overrides): it answers some decisions itself and hands the others to {@code next}.
 */
@FunctionalInterface
public interface DecisionLink {

    /** Hands every decision on as it is. */
    DecisionLink NONE = next -> next;

    DecisionStore around(DecisionStore next);
}
