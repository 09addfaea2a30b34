package io.stockflow.cluster.client;

import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * The commands a {@link StockflowClusterClient} took from its queue and has not had answered: each
 * kept, by client sequence, until its result arrives, so it can be sent again after a failover. A ring
 * of {@link #CAPACITY} slots; the client takes no more than there is room for.
 *
 * <p>Drain thread only.
 */
final class PendingWindow implements MessageHandler
{
    /** Unanswered commands held at most. */
    static final int CAPACITY = 4096;
    /** Bytes before the payload in a queue record: tag and ts. */
    static final int RECORD_HEADER = 16;
    private static final int MASK = CAPACITY - 1;

    private final byte[] payloads = new byte[CAPACITY * CommandCodec.MAX_ENCODED_LENGTH];
    private final int[] payloadLengths = new int[CAPACITY];
    private final long[] timestamps = new long[CAPACITY];
    private final long[] tags = new long[CAPACITY];
    private final boolean[] answered = new boolean[CAPACITY];
    private long nextClientSequence = 1;
    private long receivedThrough;
    private int encodedLength;

    /** Takes one queue record (tag, ts, payload) as the next client sequence. */
    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int slot = (int)(nextClientSequence & MASK);
        tags[slot] = buffer.getLong(index);
        timestamps[slot] = buffer.getLong(index + 8);
        final int payloadLength = length - RECORD_HEADER;
        buffer.getBytes(index + RECORD_HEADER, payloads, slot * CommandCodec.MAX_ENCODED_LENGTH, payloadLength);
        payloadLengths[slot] = payloadLength;
        answered[slot] = false;
        nextClientSequence++;
    }

    /** @return slots free. */
    int room()
    {
        return CAPACITY - (int)(nextClientSequence - 1 - receivedThrough);
    }

    /** @return the client sequence the next command taken gets. */
    long nextClientSequence()
    {
        return nextClientSequence;
    }

    /** @return the highest client sequence up to which every result was delivered. */
    long receivedThrough()
    {
        return receivedThrough;
    }

    /**
     * Writes BATCH entries for the commands from {@code from}, as many as fit.
     *
     * @param into     the message buffer.
     * @param at       where the first entry goes.
     * @param from     the first client sequence.
     * @param maxCount entries at most.
     * @param budget   the message's length at most (one entry always goes in).
     * @return entries written; {@link #encodedLength()} is the message's length after them.
     */
    int encodeEntries(final MutableDirectBuffer into, final int at, final long from, final int maxCount,
        final int budget)
    {
        int count = 0;
        int end = at;
        while (count < maxCount && from + count < nextClientSequence)
        {
            final int slot = (int)((from + count) & MASK);
            final int entry = IngressFormat.ENTRY_HEADER_LENGTH + payloadLengths[slot];
            if (count > 0 && end + entry > budget)
            {
                break;
            }
            into.putInt(end, payloadLengths[slot], IngressFormat.ORDER);
            into.putLong(end + IngressFormat.ENTRY_TS_OFFSET, timestamps[slot], IngressFormat.ORDER);
            into.putBytes(end + IngressFormat.ENTRY_HEADER_LENGTH, payloads, slot * CommandCodec.MAX_ENCODED_LENGTH,
                payloadLengths[slot]);
            end += entry;
            count++;
        }
        encodedLength = end;
        return count;
    }

    /** @return the message length after the last {@link #encodeEntries}. */
    int encodedLength()
    {
        return encodedLength;
    }

    /**
     * Marks a result as delivered.
     *
     * @param clientSequence the result's client sequence.
     * @return true the first time for a pending command; false for a duplicate or an unknown one.
     */
    boolean answer(final long clientSequence)
    {
        if (clientSequence <= receivedThrough || clientSequence >= nextClientSequence)
        {
            return false;
        }
        final int slot = (int)(clientSequence & MASK);
        if (answered[slot])
        {
            return false;
        }
        answered[slot] = true;
        return true;
    }

    /**
     * @param clientSequence a pending command.
     * @return its caller's tag.
     */
    long tag(final long clientSequence)
    {
        return tags[(int)(clientSequence & MASK)];
    }

    /**
     * @param clientSequence a pending command.
     * @return its type.
     */
    CommandType type(final long clientSequence)
    {
        return CommandType.fromCode(payloads[(int)(clientSequence & MASK) * CommandCodec.MAX_ENCODED_LENGTH] & 0xFF);
    }

    /** Moves {@link #receivedThrough()} over every answered command that follows it, freeing their slots. */
    void advance()
    {
        while (receivedThrough + 1 < nextClientSequence && answered[(int)((receivedThrough + 1) & MASK)])
        {
            receivedThrough++;
            answered[(int)(receivedThrough & MASK)] = false;
        }
    }
}
