package io.stockflow.cluster.service;

import io.stockflow.engine.snapshot.InvalidSnapshotException;

/**
 * Thrown from {@link StockflowClusteredService#onStart} when the latest cluster snapshot is not one
 * this build can load (another format or command schema version, or corrupt bytes): the service
 * container stops, and the node reports the reason as bad data instead of running without its state.
 */
public final class SnapshotRefusedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the reason, naming both versions when they differ.
     * @param cause   the decoder's refusal.
     */
    public SnapshotRefusedException(final String message, final InvalidSnapshotException cause)
    {
        super(message, cause);
    }
}
