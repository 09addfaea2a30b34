package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandCodecRoundTripTest
{
    private static final long[] EXTREMES = {
        Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_000_001L, -5, -1, 0, 1, 1_000_000, 1_000_000_000,
        1_000_000_000_000L, 604_800_000, Long.MAX_VALUE - 1, Long.MAX_VALUE, 0x0102030405060708L, 0x8000_0000_0000_00FFL
    };
    private static final byte FILL = (byte)0xA5;
    private static final int OFFSET = 13;

    private final byte[] buffer = new byte[OFFSET + CommandCodec.MAX_ENCODED_LENGTH + 7];
    private final CommandView view = new CommandView();

    @Test
    void shouldRoundTripRestockWithEveryExtremeValue()
    {
        for (final long sku : EXTREMES)
        {
            for (final long qty : EXTREMES)
            {
                fill();
                final int length = CommandCodec.encodeRestock(buffer, OFFSET, sku, qty);
                assertEquals(18, length);
                assertUntouchedOutside(length);
                view.wrap(buffer, OFFSET, length);
                assertSame(CommandType.RESTOCK, view.type());
                assertEquals(sku, view.sku());
                assertEquals(qty, view.qty());
                assertEquals(length, view.length());
                assertEquals(OFFSET, view.offset());
                assertSame(buffer, view.buffer());
            }
        }
    }

    @Test
    void shouldRoundTripAdjustWithEveryExtremeValue()
    {
        for (final long sku : EXTREMES)
        {
            for (final long delta : EXTREMES)
            {
                fill();
                final int length = CommandCodec.encodeAdjust(buffer, OFFSET, sku, delta);
                assertEquals(18, length);
                assertUntouchedOutside(length);
                view.wrap(buffer, OFFSET, length);
                assertSame(CommandType.ADJUST, view.type());
                assertEquals(sku, view.sku());
                assertEquals(delta, view.delta());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"CANCEL", "SHIP", "DELIVER", "RETURN"})
    void shouldRoundTripOrderCommandsWithEveryExtremeValue(final CommandType type)
    {
        for (final long order : EXTREMES)
        {
            fill();
            final int length = CommandCodec.encodeOrderCommand(buffer, OFFSET, type, order);
            assertEquals(10, length);
            assertUntouchedOutside(length);
            view.wrap(buffer, OFFSET, length);
            assertSame(type, view.type());
            assertEquals(order, view.order());
        }
    }

    @Test
    void shouldRoundTripPlaceHeaderWithEveryExtremeValue()
    {
        for (final long value : EXTREMES)
        {
            fill();
            final int length = CommandCodec.encodePlaceHeader(buffer, OFFSET, value, ~value, value ^ 0x55, 1);
            CommandCodec.encodePlaceLine(buffer, OFFSET, 0, ~value, value, value + 1);
            assertUntouchedOutside(length);
            view.wrap(buffer, OFFSET, length);
            assertSame(CommandType.PLACE, view.type());
            assertEquals(value, view.order());
            assertEquals(~value, view.account());
            assertEquals(value ^ 0x55, view.ttlMs());
            assertEquals(1, view.lineCount());
            assertEquals(~value, view.lineSku(0));
            assertEquals(value, view.lineQty(0));
            assertEquals(value + 1, view.linePrice(0));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 8, 9, 10, 1000, Integer.MAX_VALUE})
    void shouldRoundTripPlaceKeepingTheTrueLineCountAndAtMostNineLines(final int lineCount)
    {
        fill();
        final int length = CommandCodec.encodePlaceHeader(buffer, OFFSET, 10, 7, 0, lineCount);
        final int stored = Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES);
        assertEquals(30 + 24 * stored, length);
        assertEquals(length, CommandCodec.placeLength(lineCount));
        final int linesToWrite = Math.min(lineCount, 2000);
        for (int i = 0; i < linesToWrite; i++)
        {
            CommandCodec.encodePlaceLine(buffer, OFFSET, i, extreme(i), extreme(i + 1), extreme(i + 2));
        }
        assertUntouchedOutside(length);
        view.wrap(buffer, OFFSET, length);
        assertEquals(lineCount, view.lineCount());
        assertEquals(stored, view.encodedLineCount());
        for (int i = 0; i < stored; i++)
        {
            assertEquals(extreme(i), view.lineSku(i));
            assertEquals(extreme(i + 1), view.lineQty(i));
            assertEquals(extreme(i + 2), view.linePrice(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> view.lineSku(stored));
        assertThrows(IndexOutOfBoundsException.class, () -> view.lineQty(-1));
    }

    @Test
    void shouldFitTheLongestCommandInMaxEncodedLength()
    {
        assertEquals(CommandCodec.MAX_ENCODED_LENGTH, CommandCodec.placeLength(Integer.MAX_VALUE));
        assertEquals(30 + 9 * 24, CommandCodec.MAX_ENCODED_LENGTH);
        final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        assertEquals(slot.length, CommandCodec.encodePlaceHeader(slot, 0, 1, 1, 1, 1000));
    }

    @Test
    void shouldWriteTypeAndSchemaVersionIntoEveryPayload()
    {
        CommandCodec.encodeAdjust(buffer, OFFSET, 1, 2);
        assertEquals(CommandType.ADJUST.code(), buffer[OFFSET]);
        assertEquals(CommandCodec.SCHEMA_VERSION, buffer[OFFSET + 1]);
        assertSame(CommandType.ADJUST, CommandCodec.typeOf(buffer, OFFSET));
    }

    @Test
    void shouldWriteLittleEndian()
    {
        CommandCodec.encodeRestock(buffer, 0, 0x0102030405060708L, 0);
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, Arrays.copyOfRange(buffer, 2, 10));
    }

    @Test
    void shouldRefuseANonOrderTypeForOrderCommands()
    {
        assertThrows(IllegalArgumentException.class,
            () -> CommandCodec.encodeOrderCommand(buffer, 0, CommandType.RESTOCK, 1));
        assertThrows(IllegalArgumentException.class,
            () -> CommandCodec.encodeOrderCommand(buffer, 0, CommandType.PLACE, 1));
    }

    @Test
    void shouldRefuseANegativeLineCount()
    {
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.encodePlaceHeader(buffer, 0, 1, 1, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.placeLength(-1));
    }

    @Test
    void shouldRefuseALineOutsideTheHeadersLineCount()
    {
        CommandCodec.encodePlaceHeader(buffer, 0, 1, 1, 1, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> CommandCodec.encodePlaceLine(buffer, 0, 2, 1, 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> CommandCodec.encodePlaceLine(buffer, 0, -1, 1, 1, 1));
    }

    @Test
    void shouldRefuseALineWithoutAPlaceHeader()
    {
        CommandCodec.encodeRestock(buffer, 0, 1, 1);
        assertThrows(IllegalStateException.class, () -> CommandCodec.encodePlaceLine(buffer, 0, 0, 1, 1, 1));
    }

    @Test
    void shouldWriteNothingWhenTheBufferIsTooShort()
    {
        final byte[] small = new byte[20];
        Arrays.fill(small, FILL);
        assertThrows(IndexOutOfBoundsException.class, () -> CommandCodec.encodeRestock(small, 3, 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> CommandCodec.encodePlaceHeader(small, 0, 1, 1, 1, 1));
        assertThrows(IndexOutOfBoundsException.class,
            () -> CommandCodec.encodeOrderCommand(small, 11, CommandType.SHIP, 1));
        for (final byte b : small)
        {
            assertEquals(FILL, b);
        }
    }

    private static long extreme(final int i)
    {
        return EXTREMES[Math.floorMod(i * 7 + 3, EXTREMES.length)] + (i > EXTREMES.length ? i : 0);
    }

    private void fill()
    {
        Arrays.fill(buffer, FILL);
    }

    private void assertUntouchedOutside(final int length)
    {
        for (int i = 0; i < OFFSET; i++)
        {
            assertEquals(FILL, buffer[i], "byte before payload at " + i);
        }
        for (int i = OFFSET + length; i < buffer.length; i++)
        {
            assertEquals(FILL, buffer[i], "byte after payload at " + i);
        }
    }
}
