package io.stockflow.engine.snapshot;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.Limits;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotLayoutTest
{
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void roundTripsEveryStatePartThroughBytesAloneWithoutChronicleMap() throws InvalidSnapshotException
    {
        final FulfillmentRules live = new FulfillmentRules(ExpiryListener.NONE);
        for (long sku = 1; sku <= 20; sku++)
        {
            live.apply(T0, TestCommands.restock(sku, 10_000 + sku));
        }
        // More orders than one chunk holds, so the round trip crosses a chunk boundary.
        for (long order = 1; order <= 40; order++)
        {
            final long[] lines = new long[3 * (1 + (int)(order % 8))];
            for (int line = 0; line < lines.length / 3; line++)
            {
                lines[3 * line] = 1 + (order + line) % 20;
                lines[3 * line + 1] = 1;
                lines[3 * line + 2] = 250 + line;
            }
            live.apply(T0 + order, TestCommands.place(order, 7, 0, lines));
        }
        live.apply(T0 + 50, TestCommands.order(CommandType.SHIP, 3));
        live.apply(T0 + 51, TestCommands.order(CommandType.CANCEL, 4));
        live.apply(T0 + 52, TestCommands.place(41, 7, 0, 999, 1, 1));
        for (long order = 42; order <= 42 + SnapshotLayout.ORDERS_PER_CHUNK; order++)
        {
            live.apply(T0 + 60, TestCommands.place(order, 8, 0, 1 + order % 20, 1, 100));
        }
        final StateView state = live.view();
        final StateImage image = new StateImage();
        image.capture(state);

        final int chunks = SnapshotLayout.orderChunkCount(image.orderCount());
        assertEquals(2, chunks);
        final StateView restored = restore(image, state);

        assertEquals(state.stateHash(), restored.stateHash());
        assertEquals(20, restored.skuCount());
        assertEquals(42 + SnapshotLayout.ORDERS_PER_CHUNK, restored.orderCount());
        assertEquals(OrderStatus.SHIPPED, restored.orderStatus(3));
        assertEquals(OrderStatus.CANCELLED, restored.orderStatus(4));
        assertEquals(OrderStatus.REJECTED, restored.orderStatus(41));
        assertEquals(state.orderDeadline(5), restored.orderDeadline(5));
        assertEquals(state.orderLines(8).count(), restored.orderLines(8).count());
    }

    @Test
    void anImageSpanningSeveralPagesRoundTripsAndIsReusedForASmallerState() throws InvalidSnapshotException
    {
        final FulfillmentRules large = new FulfillmentRules(ExpiryListener.NONE);
        for (long sku = 1; sku <= 20; sku++)
        {
            large.apply(T0, TestCommands.restock(sku, 1_000_000));
        }
        // 40,000 orders of two lines: the image's order columns (pages of 16,384) and its line
        // columns both span several pages.
        for (long order = 1; order <= 40_000; order++)
        {
            large.apply(T0 + order,
                TestCommands.place(order, 7, 0, 1 + order % 20, 1, 100, 1 + (order + 1) % 20, 2, 50));
        }
        final StateImage image = new StateImage();
        image.capture(large.view());
        final StateView restoredLarge = restore(image, large.view());
        assertEquals(large.view().stateHash(), restoredLarge.stateHash());
        assertEquals(40_000, restoredLarge.orderCount());
        assertEquals(2, restoredLarge.orderLines(33_333).count());

        final FulfillmentRules small = new FulfillmentRules(ExpiryListener.NONE);
        small.apply(T0, TestCommands.restock(5, 10));
        small.apply(T0 + 1, TestCommands.place(9, 7, 0, 5, 3, 100));
        image.capture(small.view());
        final StateView restoredSmall = restore(image, small.view());
        assertEquals(small.view().stateHash(), restoredSmall.stateHash());
        assertEquals(1, restoredSmall.orderCount());
        assertEquals(1, restoredSmall.skuCount());
    }

    /**
     * Encodes the image as a snapshot does, in the compact encoding and in the fixed one, restores each
     * through bytes alone, and checks both give the same state.
     */
    private static StateView restore(final StateImage image, final StateView state) throws InvalidSnapshotException
    {
        final StateView compact = restore(image, state, true);
        final StateView fixed = restore(image, state, false);
        assertEquals(fixed.stateHash(), compact.stateHash());
        assertEquals(fixed.orderCount(), compact.orderCount());
        return compact;
    }

    private static StateView restore(final StateImage image, final StateView state, final boolean compact)
        throws InvalidSnapshotException
    {
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        final byte[] skuValue = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
        for (int i = 0; i < image.skuCount(); i++)
        {
            final long sku = SnapshotLayout.encodeSku(image, i, skuValue);
            SnapshotLayout.restoreSku(sku, skuValue.clone(), restorer);
        }
        final byte[] chunk = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
        final SnapshotLayout.LineScratch scratch = new SnapshotLayout.LineScratch();
        final int chunks = SnapshotLayout.orderChunkCount(image.orderCount());
        for (int number = 0, order = 0; number < chunks; number++)
        {
            int length = 0;
            final int first = order;
            for (final int end =
                Math.min(order + SnapshotLayout.ORDERS_PER_CHUNK, image.orderCount()); order < end; order++)
            {
                final int previous = order == first ? -1 : order - 1;
                final int recordLength = compact
                    ? SnapshotLayout.encodeCompactOrder(image, order, previous, chunk, length)
                    : SnapshotLayout.encodeOrder(image, order, chunk, length);
                if (compact)
                {
                    assertEquals(SnapshotLayout.compactOrderLength(image, order, previous), recordLength);
                }
                length += recordLength;
            }
            final int restored = SnapshotLayout.restoreOrders(
                compact ? SnapshotMetadata.SCHEMA_VERSION : SnapshotMetadata.FIXED_ORDERS_SCHEMA_VERSION, number,
                Arrays.copyOf(chunk, length), length, scratch, restorer);
            assertEquals(
                Math.min(SnapshotLayout.ORDERS_PER_CHUNK,
                    image.orderCount() - number * SnapshotLayout.ORDERS_PER_CHUNK),
                restored);
        }
        restorer.restoreCounters(state.events(), state.lastSequence(), state.eventTime());
        return restorer.complete(state.stateHash()).view();
    }

    /**
     * Values at the edges of each varint length, negative values, and ids and times that go down as well
     * as up from one record to the next: the compact encoding gives each back exactly.
     */
    @Test
    void compactRecordsRoundTripExtremeValues() throws InvalidSnapshotException
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final long[] skus = {1, 63, 64, 8_191, 8_192, Long.MAX_VALUE};
        for (final long sku : skus)
        {
            rules.apply(T0, TestCommands.restock(sku, Limits.MAX_RESTOCK_QTY));
        }
        final long[] ids = {Long.MAX_VALUE, 1, 1L << 35, 127, 128, Long.MAX_VALUE - 1, 2};
        for (int i = 0; i < ids.length; i++)
        {
            rules.apply(T0 + 1_000_000L * i, TestCommands.place(ids[i], i == 0 ? Long.MAX_VALUE : 1 + i * 1_000_003L,
                i % 2 == 0 ? 0 : Limits.MAX_TTL_MS - i, skus[i % skus.length],
                Math.min(Limits.MAX_LINE_QTY, 1L << 3 * i),
                Limits.MAX_LINE_PRICE - i, skus[(i + 1) % skus.length], 1, 0));
        }
        rules.apply(T0 + 5, TestCommands.order(CommandType.SHIP, ids[1]));
        final StateImage image = new StateImage();
        image.capture(rules.view());
        assertEquals(ids.length, image.orderCount());
        final StateView restored = restore(image, rules.view());
        assertEquals(rules.view().stateHash(), restored.stateHash());
        for (final long id : ids)
        {
            assertEquals(rules.view().orderDeadline(id), restored.orderDeadline(id), "deadline of order " + id);
        }
        assertEquals(OrderStatus.SHIPPED, restored.orderStatus(ids[1]));
    }

    @Test
    void encodesTheLayoutItDocumentsLittleEndian()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.apply(T0, TestCommands.restock(9, 30));
        rules.apply(T0, TestCommands.place(5, 77, 1_000, 9, 2, 450));
        final StateImage image = new StateImage();
        image.capture(rules.view());

        final byte[] sku = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
        assertEquals(9, SnapshotLayout.encodeSku(image, 0, sku));
        assertArrayEquals(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(30).putLong(2).array(), sku);

        final byte[] order = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
        assertEquals(34 + 24, SnapshotLayout.encodeOrder(image, 0, order, 0));
        final byte[] expected = ByteBuffer.allocate(34 + 24).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(5).putLong(77).put((byte)OrderStatus.RESERVED.code()).putLong(T0 + 1_000).putLong(T0).put((byte)1)
            .putLong(9).putLong(2).putLong(450).array();
        assertArrayEquals(expected, Arrays.copyOf(order, 34 + 24));
        assertEquals(34 + 24 * 8, SnapshotLayout.MAX_ORDER_RECORD_LENGTH);

        // Compact: head (RESERVED, one line, deadline follows), id 5 -> 10, account 77 -> 154,
        // changedAt T0 -> zigzag 2 * T0 in six 7-bit groups, deadline - changedAt 1,000 -> 2,000,
        // then SKU 9 -> 18, qty 2 -> 4, price 450 -> 900.
        final int length = SnapshotLayout.encodeCompactOrder(image, 0, -1, order, 0);
        final byte[] compact = ByteBuffer.allocate(64).put((byte)(0x80 | OrderStatus.RESERVED.code()))
            .put((byte)10).put((byte)0x9A).put((byte)0x01).put(varint(2 * T0)).put((byte)0xD0).put((byte)0x0F)
            .put((byte)18).put((byte)4).put((byte)0x84).put((byte)0x07).array();
        assertArrayEquals(Arrays.copyOf(compact, length), Arrays.copyOf(order, length));
        assertEquals(1 + 1 + 2 + varint(2 * T0).length + 2 + 1 + 1 + 2, length);
    }

    private static byte[] varint(final long unsigned)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(10);
        long bits = unsigned;
        while ((bits & ~0x7FL) != 0)
        {
            bytes.put((byte)(bits & 0x7F | 0x80));
            bits >>>= 7;
        }
        bytes.put((byte)bits);
        return Arrays.copyOf(bytes.array(), bytes.position());
    }

    @Test
    void refusesAValueWhoseLengthDisagreesWithItsLayout()
    {
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        final SnapshotLayout.LineScratch scratch = new SnapshotLayout.LineScratch();
        assertThrows(InvalidSnapshotException.class, () -> SnapshotLayout.restoreSku(1, new byte[15], restorer));
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(0, new byte[17], 17, scratch, restorer));
        final byte[] nineLines = new byte[SnapshotLayout.orderRecordLength(9)];
        nineLines[SnapshotLayout.ORDER_LINE_COUNT_OFFSET] = 9;
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(0, nineLines, nineLines.length, scratch, restorer));
        final byte[] oneLineTooShort = new byte[SnapshotLayout.orderRecordLength(2) - 1];
        oneLineTooShort[SnapshotLayout.ORDER_LINE_COUNT_OFFSET] = 2;
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(0, oneLineTooShort, oneLineTooShort.length, scratch, restorer));
        final byte[] negative = new byte[SnapshotLayout.ORDER_HEADER_LENGTH];
        negative[SnapshotLayout.ORDER_LINE_COUNT_OFFSET] = -1;
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(0, negative, negative.length, scratch, restorer));
        final byte[] noLines = new byte[SnapshotLayout.ORDER_HEADER_LENGTH];
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(0, noLines, noLines.length, scratch, restorer));
    }

    @Test
    void refusesACompactChunkThatIsCutShortOrHoldsAnUnknownStatus()
    {
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        final SnapshotLayout.LineScratch scratch = new SnapshotLayout.LineScratch();
        // A whole record: head (SHIPPED, one line), id 1, account 1, changedAt 1, SKU 1, qty 1, price 1.
        final byte[] whole = {(byte)OrderStatus.SHIPPED.code(), 2, 2, 2, 2, 2, 2};
        for (int cut = 1; cut < whole.length; cut++)
        {
            final int length = cut;
            final InvalidSnapshotException e = assertThrows(InvalidSnapshotException.class,
                () -> SnapshotLayout.restoreCompactOrders(3, whole, length, scratch, restorer), "cut at " + cut);
            assertEquals("order chunk 3 is malformed at byte " + cut, e.getMessage());
        }
        final byte[] unknownStatus = whole.clone();
        unknownStatus[0] = 0;
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreCompactOrders(0, unknownStatus, unknownStatus.length, scratch, restorer));
        final byte[] overlongVarint = {(byte)OrderStatus.SHIPPED.code(), (byte)0x80, (byte)0x80, (byte)0x80,
            (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 1};
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreCompactOrders(0, overlongVarint, overlongVarint.length, scratch, restorer));
        assertThrows(InvalidSnapshotException.class,
            () -> SnapshotLayout.restoreOrders(2, 0, whole, whole.length, scratch, restorer));
    }
}
