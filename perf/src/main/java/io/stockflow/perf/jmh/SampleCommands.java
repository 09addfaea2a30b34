package io.stockflow.perf.jmh;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;

/**
 * One fixed, valid command per type for the codec benchmarks, and a checksum of every
 * field a decoder reads, so a benchmark can prove its bytes decode to what was encoded.
 */
final class SampleCommands
{
    static final long SKU = 4_242;
    static final long QTY = 17;
    static final long DELTA = -3;
    static final long ORDER = 123_456_789;
    static final long ACCOUNT = 77;
    static final long TTL_MS = 60_000;
    static final int LINES = 3;

    private SampleCommands()
    {
    }

    /**
     * Encodes the sample command of a type.
     *
     * @param type   the type.
     * @param buffer target, at least {@link CommandCodec#MAX_ENCODED_LENGTH}.
     * @return the encoded length.
     */
    static int encode(final CommandType type, final byte[] buffer)
    {
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(buffer, 0, SKU, QTY);
            case ADJUST:
                return CommandCodec.encodeAdjust(buffer, 0, SKU, DELTA);
            case PLACE:
                final int length = CommandCodec.encodePlaceHeader(buffer, 0, ORDER, ACCOUNT, TTL_MS, LINES);
                for (int i = 0; i < LINES; i++)
                {
                    CommandCodec.encodePlaceLine(buffer, 0, i, SKU + i, QTY + i, 1_000 + i);
                }
                return length;
            default:
                return CommandCodec.encodeOrderCommand(buffer, 0, type, ORDER);
        }
    }

    /**
     * Reads every field of the decoded command's type.
     *
     * @param view a wrapped command.
     * @return a sum of its fields; equal for equal commands.
     */
    static long checksum(final CommandView view)
    {
        final CommandType type = view.type();
        switch (type)
        {
            case RESTOCK:
                return type.code() + view.sku() * 31 + view.qty();
            case ADJUST:
                return type.code() + view.sku() * 31 + view.delta();
            case PLACE:
                long sum = type.code() + view.order() * 31 + view.account() * 17 + view.ttlMs();
                for (int i = 0; i < view.encodedLineCount(); i++)
                {
                    sum = sum * 31 + view.lineSku(i) + view.lineQty(i) * 7 + view.linePrice(i) * 13;
                }
                return sum;
            default:
                return type.code() + view.order() * 31;
        }
    }
}
