package io.stockflow.cluster.client;

import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller side of a {@link StockflowClusterClient}, like the engine's {@code CommandPublisher}:
 * typed commands offered from any number of threads into Agrona's {@link ManyToOneRingBuffer}
 * (a record is the caller's tag, the {@code ts} and the CommandCodec payload), which the client's
 * drain thread empties. Offering never blocks: a full ring is back-pressure ({@code false}).
 * Allocation-free once each caller thread has its encode scratch.
 */
public final class ClusterPublisher
{
    private static final int RECORD_HEADER = PendingWindow.RECORD_HEADER;
    private static final int COMMAND_MSG = 1;
    private static final ThreadLocal<byte[]> ENCODE_SCRATCH =
        ThreadLocal.withInitial(() -> new byte[CommandCodec.MAX_ENCODED_LENGTH]);

    private final ManyToOneRingBuffer queue;
    private final AtomicLong offered = new AtomicLong();
    private volatile boolean closed;

    ClusterPublisher(final int queueBytes)
    {
        queue = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(queueBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Offers one command; any thread.
     *
     * @param command the command.
     * @param ts      its time, or {@link IngressFormat#NO_TS} to get its log entry's cluster time.
     * @param tag     any value, given back with its result.
     * @return false if the queue is full (back-pressure: retry later) or the client is closed.
     */
    public boolean offer(final CommandFields command, final long ts, final long tag)
    {
        final byte[] scratch = ENCODE_SCRATCH.get();
        final int length = CommandCodec.encode(command, scratch, 0);
        return offerEncoded(scratch, length, ts, tag);
    }

    /**
     * Offers an order command (CANCEL, SHIP, DELIVER, RETURN); any thread.
     *
     * @param type  the order command type.
     * @param ts    its time or {@link IngressFormat#NO_TS}.
     * @param order the order.
     * @param tag   given back with the result.
     * @return false if the queue is full or the client is closed.
     */
    public boolean offerOrderCommand(final CommandType type, final long ts, final long order, final long tag)
    {
        final byte[] scratch = ENCODE_SCRATCH.get();
        return offerEncoded(scratch, CommandCodec.encodeOrderCommand(scratch, 0, type, order), ts, tag);
    }

    /**
     * Offers a RESTOCK; any thread.
     *
     * @param ts  its time or {@link IngressFormat#NO_TS}.
     * @param sku the SKU.
     * @param qty units.
     * @param tag given back with the result.
     * @return false if the queue is full or the client is closed.
     */
    public boolean offerRestock(final long ts, final long sku, final long qty, final long tag)
    {
        final byte[] scratch = ENCODE_SCRATCH.get();
        return offerEncoded(scratch, CommandCodec.encodeRestock(scratch, 0, sku, qty), ts, tag);
    }

    /**
     * Offers a RULES command (docs/DOMAIN.md "Rule parameters"); any thread.
     *
     * @param ts            its time or {@link IngressFormat#NO_TS}.
     * @param given         which parameters it gives ({@code CommandFields.RETENTION_MS_GIVEN} and the others).
     * @param retentionMs   the new retention, if given.
     * @param orderCapacity the new order capacity, if given.
     * @param skuCapacity   the new SKU capacity, if given.
     * @param tag           given back with the result.
     * @return false if the queue is full or the client is closed.
     */
    public boolean offerRules(
        final long ts,
        final int given,
        final long retentionMs,
        final long orderCapacity,
        final long skuCapacity,
        final long tag)
    {
        final byte[] scratch = ENCODE_SCRATCH.get();
        return offerEncoded(scratch, CommandCodec.encodeRules(scratch, 0, given, retentionMs, orderCapacity,
            skuCapacity), ts, tag);
    }

    /**
     * Offers a PLACE with one line; any thread. Other PLACEs go through {@link #offer}.
     *
     * @param ts      its time or {@link IngressFormat#NO_TS}.
     * @param order   the order.
     * @param account the account.
     * @param ttlMs   time to live (0: the default).
     * @param sku     the line's SKU.
     * @param qty     the line's quantity.
     * @param price   the line's price.
     * @param tag     given back with the result.
     * @return false if the queue is full or the client is closed.
     */
    public boolean offerPlace(
        final long ts,
        final long order,
        final long account,
        final long ttlMs,
        final long sku,
        final long qty,
        final long price,
        final long tag)
    {
        final byte[] scratch = ENCODE_SCRATCH.get();
        final int length = CommandCodec.encodePlaceHeader(scratch, 0, order, account, ttlMs, 1);
        CommandCodec.encodePlaceLine(scratch, 0, 0, sku, qty, price);
        return offerEncoded(scratch, length, ts, tag);
    }

    private boolean offerEncoded(final byte[] payload, final int length, final long ts, final long tag)
    {
        if (closed)
        {
            return false;
        }
        final int index = queue.tryClaim(COMMAND_MSG, RECORD_HEADER + length);
        if (index <= 0)
        {
            return false;
        }
        final AtomicBuffer buffer = queue.buffer();
        buffer.putLong(index, tag);
        buffer.putLong(index + 8, ts);
        buffer.putBytes(index + RECORD_HEADER, payload, 0, length);
        queue.commit(index);
        offered.incrementAndGet();
        return true;
    }

    /** @return commands offered successfully. */
    public long offered()
    {
        return offered.get();
    }

    ManyToOneRingBuffer ring()
    {
        return queue;
    }

    void close()
    {
        closed = true;
    }
}
