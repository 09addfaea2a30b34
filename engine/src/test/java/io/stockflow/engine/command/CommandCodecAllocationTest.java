package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandCodecAllocationTest
{
    private static final int COMMANDS_PER_RUN = 100_000;

    private final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();
    private long checksum;

    @Test
    void shouldEncodeAndDecodeEveryCommandWithoutAllocatingWhenWarm()
    {
        final Runnable body = this::encodeAndDecodeEveryType;
        assertEquals(0, AllocationMeter.minBytesAllocated(body, 20, 5));
        assertEquals(true, checksum != 0);
    }

    private void encodeAndDecodeEveryType()
    {
        long sum = 0;
        for (int i = 0; i < COMMANDS_PER_RUN; i++)
        {
            final long value = i * 0x9E3779B97F4A7C15L;
            final int length;
            switch (i % 7)
            {
                case 0:
                    length = CommandCodec.encodeRestock(slot, 0, value, i);
                    break;
                case 1:
                    length = CommandCodec.encodeAdjust(slot, 0, value, -i);
                    break;
                case 2:
                    final int lineCount = i % 12;
                    length = CommandCodec.encodePlaceHeader(slot, 0, value, i, 0, lineCount);
                    for (int line = 0; line < lineCount; line++)
                    {
                        CommandCodec.encodePlaceLine(slot, 0, line, line + 1, i, value);
                    }
                    break;
                default:
                    length = CommandCodec.encodeOrderCommand(slot, 0, CommandType.fromCode(1 + i % 7), value);
                    break;
            }
            sum += read(view.wrap(slot, 0, length));
        }
        checksum += sum;
    }

    private static long read(final CommandView view)
    {
        switch (view.type())
        {
            case RESTOCK:
                return view.sku() + view.qty();
            case ADJUST:
                return view.sku() ^ view.delta();
            case PLACE:
                long sum = view.order() + view.account() + view.ttlMs() + view.lineCount();
                for (int line = 0; line < view.encodedLineCount(); line++)
                {
                    sum += view.lineSku(line) + view.lineQty(line) + view.linePrice(line);
                }
                return sum;
            default:
                return view.order();
        }
    }
}
