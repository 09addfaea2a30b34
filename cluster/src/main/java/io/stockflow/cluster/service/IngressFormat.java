package io.stockflow.cluster.service;

import java.nio.ByteOrder;

/**
 * The wire format between {@code StockflowClusterClient} and {@link StockflowClusteredService}: the
 * one place that knows the offsets. All fields little-endian.
 *
 * <pre>
 *  ingress BATCH (client to cluster, one ingress message, one log entry)
 *   0 i32 type = 1 | 4 i32 count | 8 i64 client id | 16 i64 first client sequence
 *   24 i64 results received through (the client holds every result up to this client sequence)
 *   32 then count entries: i32 payload length | i64 ts (NO_TS: none) | CommandCodec payload
 *
 *  egress RESULTS (cluster to client, sent by the leader only)
 *   0 i32 type = 2 | 4 i32 count | 8 i64 client id
 *   16 then count entries of 20 bytes: i64 client sequence | i64 engine sequence | i32 outcome
 * </pre>
 *
 * A BATCH with count 0 only reports what the client received, so the service can drop the results
 * it keeps for resends. The entries of a BATCH have consecutive client sequences from the first.
 */
public final class IngressFormat
{
    /** Byte order of every field. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** A BATCH message. */
    public static final int TYPE_BATCH = 1;
    /** A RESULTS message. */
    public static final int TYPE_RESULTS = 2;
    /**
     * The client id of the service itself: the leader of a new cluster sends the parameters record
     * (a RULES command, issue 21) as a service message from it, with client sequence 1, so it is
     * deduplicated like any command. Clients use ids from 0 up.
     */
    public static final long SERVICE_CLIENT_ID = -1;
    /** The {@code ts} of a command sent without one: it gets its log entry's cluster time. */
    public static final long NO_TS = Long.MIN_VALUE;

    /**
     * The outcome of a command refused before the rules saw it (admission, like the single-node
     * engine's publish refusals): its {@code ts} was more than the bound ahead of the entry's cluster
     * time. It consumes its client sequence but no engine sequence (the result's sequence is 0).
     */
    public static final int OUTCOME_REFUSED_CLOCK_AHEAD = -1;
    /**
     * The outcome of an entry whose payload is not a command (the client sent bytes that do not
     * follow CommandCodec) or whose ts is outside 0..253402300799999 (docs/DOMAIN.md "Units and
     * time"). Like a refusal, it consumes its client sequence and no engine sequence.
     */
    public static final int OUTCOME_MALFORMED = -2;

    /** Offset of the message type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the entry count. */
    public static final int COUNT_OFFSET = 4;
    /** Offset of the client id. */
    public static final int CLIENT_ID_OFFSET = 8;
    /** Offset of a BATCH's first client sequence. */
    public static final int FIRST_SEQUENCE_OFFSET = 16;
    /** Offset of a BATCH's "results received through". */
    public static final int RECEIVED_THROUGH_OFFSET = 24;
    /** Length of a BATCH header. */
    public static final int BATCH_HEADER_LENGTH = 32;
    /** Length of an entry's header (payload length and ts) in a BATCH. */
    public static final int ENTRY_HEADER_LENGTH = 12;
    /** Offset of an entry's ts from the entry's start. */
    public static final int ENTRY_TS_OFFSET = 4;

    /** Length of a RESULTS header. */
    public static final int RESULTS_HEADER_LENGTH = 16;
    /** Length of one result entry. */
    public static final int RESULT_LENGTH = 20;
    /** Offset of the engine sequence in a result entry. */
    public static final int RESULT_SEQUENCE_OFFSET = 8;
    /** Offset of the outcome in a result entry. */
    public static final int RESULT_OUTCOME_OFFSET = 16;

    private IngressFormat()
    {
    }
}
