package io.stockflow.engine.workload;

import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;

/**
 * One command produced by the {@link WorkloadGenerator}: a reusable holder, filled
 * in place for every command so generating allocates nothing.
 */
public final class GeneratedCommand implements CommandFields
{
    /** Most lines a generated PLACE has (the rules allow 8). */
    public static final int MAX_GENERATED_LINES = CommandCodec.MAX_ENCODED_LINES;

    CommandType type;
    long ts;
    long sku;
    long qty;
    long delta;
    long order;
    long account;
    long ttlMs;
    int lineCount;
    final long[] lineSkus = new long[MAX_GENERATED_LINES];
    final long[] lineQtys = new long[MAX_GENERATED_LINES];
    final long[] linePrices = new long[MAX_GENERATED_LINES];

    /** @return the command type. */
    @Override
    public CommandType type()
    {
        return type;
    }

    /** @return the command time, epoch ms. */
    public long ts()
    {
        return ts;
    }

    /** @return the SKU of a RESTOCK or ADJUST. */
    @Override
    public long sku()
    {
        return sku;
    }

    /** @return the quantity of a RESTOCK. */
    @Override
    public long qty()
    {
        return qty;
    }

    /** @return the delta of an ADJUST. */
    @Override
    public long delta()
    {
        return delta;
    }

    /** @return the order id of an order command. */
    @Override
    public long order()
    {
        return order;
    }

    /** @return the account of a PLACE. */
    @Override
    public long account()
    {
        return account;
    }

    /** @return the reservation TTL of a PLACE. */
    @Override
    public long ttlMs()
    {
        return ttlMs;
    }

    /** @return the line count of a PLACE. */
    @Override
    public int lineCount()
    {
        return lineCount;
    }

    /** @param i line index. @return that line's SKU. */
    @Override
    public long lineSku(final int i)
    {
        return lineSkus[i];
    }

    /** @param i line index. @return that line's quantity. */
    @Override
    public long lineQty(final int i)
    {
        return lineQtys[i];
    }

    /** @param i line index. @return that line's price. */
    @Override
    public long linePrice(final int i)
    {
        return linePrices[i];
    }

    /**
     * Publishes this command through the engine's publisher (waiting where its class allows).
     *
     * @param publisher the single writer's publisher.
     * @param useTs     true to send {@link #ts()}, false to let the engine clock stamp it.
     * @return the sequence or a refusal, as the publisher returns it.
     */
    public long publishTo(final CommandPublisher publisher, final boolean useTs)
    {
        return publisher.publish(this, useTs ? ts : CommandPublisher.NOW);
    }

    /**
     * Publishes this command, retrying while the engine answers {@code BACKPRESSURE}: a
     * benchmark or test feed must not lose commands to load shedding. Spins between
     * tries, so the publisher thread stays hot; allocates nothing.
     *
     * @param publisher the single writer's publisher.
     * @param useTs     true to send {@link #ts()}, false to let the engine clock stamp it.
     * @return the sequence, or a refusal other than BACKPRESSURE.
     */
    public long publishRetryingOnBackpressure(final CommandPublisher publisher, final boolean useTs)
    {
        long result;
        while ((result = publishTo(publisher, useTs)) == PublishRefusal.BACKPRESSURE)
        {
            Thread.onSpinWait();
        }
        return result;
    }

    /**
     * Encodes this command with the engine's codec (the journal payload form).
     *
     * @param buffer target, at least {@link CommandCodec#MAX_ENCODED_LENGTH} from offset.
     * @param offset where to write.
     * @return the encoded length.
     */
    public int encode(final byte[] buffer, final int offset)
    {
        return CommandCodec.encode(this, buffer, offset);
    }
}
