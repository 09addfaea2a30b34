package io.stockflow.engine.pipeline;

import io.stockflow.engine.StateQuery;
import io.stockflow.engine.rules.StateView;

import java.util.concurrent.CompletableFuture;

/**
 * A state query travelling through the ring: run on the logic stage between two
 * commands, so it sees the state exactly as of every command published before
 * it, and completed on that thread.
 *
 * @param <R> the query's result type.
 */
public final class StateQueryTask<R>
{
    private final StateQuery<R> query;
    private final CompletableFuture<R> result = new CompletableFuture<>();

    /** @param query what to compute from the state. */
    public StateQueryTask(final StateQuery<R> query)
    {
        this.query = query;
    }

    /** @return completes with the query's result, or exceptionally if it threw. */
    public CompletableFuture<R> result()
    {
        return result;
    }

    /**
     * Fails the query unless it completed already.
     *
     * @param cause why it was not answered.
     */
    public void fail(final Throwable cause)
    {
        result.completeExceptionally(cause);
    }

    void runOn(final StateView state)
    {
        try
        {
            result.complete(query.query(state));
        }
        catch (final RuntimeException e)
        {
            result.completeExceptionally(e);
        }
    }
}
