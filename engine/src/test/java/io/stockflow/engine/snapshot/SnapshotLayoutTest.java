package io.stockflow.engine.snapshot;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
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

    /** Encodes the image as a snapshot does and restores it, through bytes alone. */
    private static StateView restore(final StateImage image, final StateView state) throws InvalidSnapshotException
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
            for (final int end =
                Math.min(order + SnapshotLayout.ORDERS_PER_CHUNK, image.orderCount()); order < end; order++)
            {
                length += SnapshotLayout.encodeOrder(image, order, chunk, length);
            }
            final int restored = SnapshotLayout.restoreOrders(number, Arrays.copyOf(chunk, length), length, scratch,
                restorer);
            assertEquals(
                Math.min(SnapshotLayout.ORDERS_PER_CHUNK,
                    image.orderCount() - number * SnapshotLayout.ORDERS_PER_CHUNK),
                restored);
        }
        restorer.restoreCounters(state.events(), state.lastSequence(), state.eventTime());
        return restorer.complete(state.stateHash()).view();
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
}
