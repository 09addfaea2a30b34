package io.stockflow.engine;

import io.stockflow.engine.rules.StateView;

/**
 * A read-only question about the engine's state, answered on the logic stage's
 * thread (the state's only owner) between two commands. It is handed a
 * {@link StateView}, which has no mutating method and cannot reach the rules, so a
 * query cannot change the state.
 *
 * @param <R> the answer's type.
 */
@FunctionalInterface
public interface StateQuery<R>
{
    /**
     * @param state the state, read-only; valid only during this call.
     * @return the answer.
     */
    R query(StateView state);
}
