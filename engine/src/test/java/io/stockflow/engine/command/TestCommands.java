package io.stockflow.engine.command;

/**
 * Builds wrapped commands for tests, each in its own buffer. Allocates freely:
 * not for allocation-measuring loops.
 */
public final class TestCommands
{
    private TestCommands()
    {
    }

    public static CommandView restock(final long sku, final long qty)
    {
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        return new CommandView().wrap(buffer, 0, CommandCodec.encodeRestock(buffer, 0, sku, qty));
    }

    public static CommandView adjust(final long sku, final long delta)
    {
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        return new CommandView().wrap(buffer, 0, CommandCodec.encodeAdjust(buffer, 0, sku, delta));
    }

    public static CommandView order(final CommandType type, final long order)
    {
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        return new CommandView().wrap(buffer, 0, CommandCodec.encodeOrderCommand(buffer, 0, type, order));
    }

    /**
     * @param skuQtyPrice the lines as consecutive (sku, qty, price) triples.
     */
    public static CommandView place(final long order, final long account, final long ttlMs, final long... skuQtyPrice)
    {
        if (skuQtyPrice.length % 3 != 0)
        {
            throw new IllegalArgumentException("lines must be (sku, qty, price) triples");
        }
        return placeWithLineCount(order, account, ttlMs, skuQtyPrice.length / 3, skuQtyPrice);
    }

    /**
     * A PLACE with {@code lineCount} lines, line i taken from triple i of
     * {@code skuQtyPrice} or, past its end, (i + 1, 1, 0). Only the lines the codec
     * stores are written.
     */
    public static CommandView placeWithLineCount(
        final long order, final long account, final long ttlMs, final int lineCount, final long... skuQtyPrice)
    {
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length = CommandCodec.encodePlaceHeader(buffer, 0, order, account, ttlMs, lineCount);
        for (int i = 0, stored = Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES); i < stored; i++)
        {
            if (3 * i + 2 < skuQtyPrice.length)
            {
                CommandCodec.encodePlaceLine(buffer, 0, i, skuQtyPrice[3 * i], skuQtyPrice[3 * i + 1],
                    skuQtyPrice[3 * i + 2]);
            }
            else
            {
                CommandCodec.encodePlaceLine(buffer, 0, i, i + 1, 1, 0);
            }
        }
        return new CommandView().wrap(buffer, 0, length);
    }

    /**
     * @param given         which parameters it gives ({@link CommandFields#ruleFields()}).
     * @param retentionMs   the retention, if given.
     * @param orderCapacity the order capacity, if given.
     * @param skuCapacity   the SKU capacity, if given.
     * @return a RULES command.
     */
    public static CommandView rules(final int given, final long retentionMs, final long orderCapacity,
        final long skuCapacity)
    {
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length = CommandCodec.encodeRules(buffer, 0, given, retentionMs, orderCapacity, skuCapacity);
        return new CommandView().wrap(buffer, 0, length);
    }
}
