package io.stockflow.engine.workload;

import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;

/**
 * One command produced by the {@link WorkloadGenerator}: a reusable holder, filled
 * in place for every command so generating allocates nothing.
 */
public final class GeneratedCommand
{
    /** Most lines a generated PLACE has (the rules allow 8). */
    public static final int MAX_LINES = CommandCodec.MAX_ENCODED_LINES;

    CommandType type;
    long ts;
    long sku;
    long qty;
    long delta;
    long order;
    long account;
    long ttlMs;
    int lineCount;
    final long[] lineSkus = new long[MAX_LINES];
    final long[] lineQtys = new long[MAX_LINES];
    final long[] linePrices = new long[MAX_LINES];

    /** @return the command type. */
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
    public long sku()
    {
        return sku;
    }

    /** @return the quantity of a RESTOCK. */
    public long qty()
    {
        return qty;
    }

    /** @return the delta of an ADJUST. */
    public long delta()
    {
        return delta;
    }

    /** @return the order id of an order command. */
    public long order()
    {
        return order;
    }

    /** @return the account of a PLACE. */
    public long account()
    {
        return account;
    }

    /** @return the reservation TTL of a PLACE. */
    public long ttlMs()
    {
        return ttlMs;
    }

    /** @return the line count of a PLACE. */
    public int lineCount()
    {
        return lineCount;
    }

    /** @param i line index. @return that line's SKU. */
    public long lineSku(final int i)
    {
        return lineSkus[i];
    }

    /** @param i line index. @return that line's quantity. */
    public long lineQty(final int i)
    {
        return lineQtys[i];
    }

    /** @param i line index. @return that line's price. */
    public long linePrice(final int i)
    {
        return linePrices[i];
    }

    /**
     * Publishes this command through the engine's publisher (blocking variants).
     *
     * @param publisher the single writer's publisher.
     * @param useTs     true to send {@link #ts()}, false to let the engine clock stamp it.
     * @return the sequence or a refusal, as the publisher returns it.
     */
    public long publishTo(final CommandPublisher publisher, final boolean useTs)
    {
        final long time = useTs ? ts : CommandPublisher.NOW;
        switch (type)
        {
            case RESTOCK:
                return publisher.restock(time, sku, qty);
            case ADJUST:
                return publisher.adjust(time, sku, delta);
            case PLACE:
                final CommandPublisher.PlaceOrder place = publisher.place(time, order, account, ttlMs);
                for (int i = 0; i < lineCount; i++)
                {
                    place.line(lineSkus[i], lineQtys[i], linePrices[i]);
                }
                return place.publish();
            case CANCEL:
                return publisher.cancel(time, order);
            case SHIP:
                return publisher.ship(time, order);
            case DELIVER:
                return publisher.deliver(time, order);
            case RETURN:
                return publisher.returnOrder(time, order);
            default:
                throw new IllegalStateException("unknown type " + type);
        }
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
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(buffer, offset, sku, qty);
            case ADJUST:
                return CommandCodec.encodeAdjust(buffer, offset, sku, delta);
            case PLACE:
                final int length = CommandCodec.encodePlaceHeader(buffer, offset, order, account, ttlMs, lineCount);
                for (int i = 0; i < lineCount; i++)
                {
                    CommandCodec.encodePlaceLine(buffer, offset, i, lineSkus[i], lineQtys[i], linePrices[i]);
                }
                return length;
            default:
                return CommandCodec.encodeOrderCommand(buffer, offset, type, order);
        }
    }
}
