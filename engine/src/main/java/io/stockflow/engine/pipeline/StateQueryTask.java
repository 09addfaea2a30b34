package io.stockflow.engine.pipeline;

import io.stockflow.engine.StateQuery;
import io.stockflow.engine.rules.StateView;

import java.util.concurrent.CompletableFuture;

/**
 * A state query travelling through the ring: run on the logic stage between two
 * commands, so it sees the state exactly as of every command published before
 * it, and completed where outcomes are released, once the journal commit that
 * covers those commands is done. An answer never reveals a command whose
 * outcome a power cut could still take back.
 *
 * @param <R> the query's result type.
 */
public final class StateQueryTask<R>
{
    private final StateQuery<R> query;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    // Written by the logic stage, read by the releasing stage after the ring's barrier between them.
    private R answer;
    private RuntimeException failure;

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

    /** Logic stage: computes the answer, held until {@link #release()}. */
    void runOn(final StateView state)
    {
        try
        {
            answer = query.query(state);
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
    }

    /** Releasing stage (outcome stage or fused consumer): completes the future with what {@link #runOn} found. */
    void release()
    {
        if (failure != null)
        {
            result.completeExceptionally(failure);
        }
        else
        {
            result.complete(answer);
        }
    }
}
