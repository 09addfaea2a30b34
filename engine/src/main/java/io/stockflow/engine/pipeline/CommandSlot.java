package io.stockflow.engine.pipeline;

import io.stockflow.engine.command.CommandCodec;

/**
 * One preallocated ring slot. The publisher (the single writer) fills the
 * command part; the journal stage reads it; the logic stage writes the outcome
 * part; the outcome stage reads both. Disruptor sequences order these accesses,
 * so the fields need no further fences.
 *
 * <p>The payload is the command in its {@link CommandCodec} form, the same bytes
 * the journal stores, so the journal stage copies rather than re-encodes.
 */
public final class CommandSlot
{
    /** Slot kinds: a journaled command, or a state query that is never journaled. */
    public static final int KIND_COMMAND = 0;
    /** A state query run on the logic stage; takes no sequence and is not journaled. */
    public static final int KIND_QUERY = 1;

    // Written by the publisher thread.
    int kind;
    long sequence;
    long eventTimeMs;
    int commandType;
    final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    int payloadLength;
    long publishNs;
    StateQueryTask<?> query;

    // Written by the journal stage.
    long journaledNs;

    // Written by the logic stage.
    long outcome;
    long entityId;
    long appliedNs;
    long[] expiredOrders = new long[8];
    int expiredCount;

    /** @return the engine sequence of this command (0 for a query). */
    public long sequence()
    {
        return sequence;
    }

    /** @return the payload bytes (valid up to {@link #payloadLength()}). */
    public byte[] payload()
    {
        return payload;
    }

    /** @return the encoded command's length. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * Fails the query this slot holds, if it holds one still unanswered: for the
     * engine's close, after the stages stopped.
     *
     * @param cause why it was not answered.
     */
    public void failQuery(final RuntimeException cause)
    {
        final StateQueryTask<?> task = query;
        if (kind == KIND_QUERY && task != null)
        {
            task.fail(cause);
        }
    }

    void addExpiredOrder(final long orderId)
    {
        if (expiredCount == expiredOrders.length)
        {
            // Rare: this one event expired more orders than any before it in this slot.
            final long[] grown = new long[expiredOrders.length * 2];
            System.arraycopy(expiredOrders, 0, grown, 0, expiredCount);
            expiredOrders = grown;
        }
        expiredOrders[expiredCount++] = orderId;
    }
}
