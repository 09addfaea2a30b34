package io.stockflow.engine;

import io.stockflow.engine.rules.FulfillmentRules;

/**
 * A read-only question about the engine's state, answered on the logic stage's
 * thread (the state's only owner) between two commands. It must only read:
 * calling a mutating method of the rules corrupts the engine.
 *
 * @param <R> the answer's type.
 */
@FunctionalInterface
public interface StateQuery<R>
{
    /**
     * @param state the rules and state, read-only.
     * @return the answer.
     */
    R query(FulfillmentRules state);
}
