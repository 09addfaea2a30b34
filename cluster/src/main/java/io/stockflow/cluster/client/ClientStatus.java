package io.stockflow.cluster.client;

/** What {@link StockflowClusterClient} can say about the cluster right now. */
public enum ClientStatus
{
    /** Connecting for the first time. */
    CONNECTING,
    /** A leader takes the commands. */
    CONNECTED,
    /**
     * No leader: the commands sent and not answered are in doubt (neither lost nor done), because no
     * quorum of members answers; they are resent, and settled by deduplication, once one does.
     */
    NO_QUORUM,
    /** Closed. */
    CLOSED
}
