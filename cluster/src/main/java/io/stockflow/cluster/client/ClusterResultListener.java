package io.stockflow.cluster.client;

import io.stockflow.engine.command.CommandType;

/**
 * Receives each command's result from {@link StockflowClusterClient}, exactly once per command,
 * in client-sequence order (the order the client took the commands from its queue), on the client's
 * drain thread: keep it short, never block.
 */
@FunctionalInterface
public interface ClusterResultListener
{
    /**
     * @param clientSequence the client sequence the command got (1, 2, ... in queue order).
     * @param tag            the caller's tag given with the command.
     * @param type           the command's type.
     * @param sequence       the engine sequence it got in the cluster's log order; 0 when it was
     *                       refused before the rules (see {@code outcome}).
     * @param outcome        {@code Outcome.ACCEPTED}, a {@code RejectReason} code, or one of
     *                       {@code IngressFormat.OUTCOME_REFUSED_CLOCK_AHEAD} and {@code OUTCOME_MALFORMED}.
     */
    void onResult(long clientSequence, long tag, CommandType type, long sequence, int outcome);
}
