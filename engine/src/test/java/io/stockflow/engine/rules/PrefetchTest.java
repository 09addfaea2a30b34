package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read ahead of {@link FulfillmentRules#prefetchOrders} changes nothing, and the queues
 * name the rows their next pops reach.
 */
class PrefetchTest
{
    private static final int BATCH = 16;

    @Test
    void readingAheadChangesNoOutcomeAndNoState()
    {
        for (long seed = 1; seed <= 3; seed++)
        {
            final FulfillmentRules plain = new FulfillmentRules(ExpiryListener.NONE);
            final FulfillmentRules readAhead = new FulfillmentRules(ExpiryListener.NONE);
            final RandomWorkload workload = new RandomWorkload(seed, 500, true, true);
            final byte[][] slots = new byte[BATCH][CommandCodec.MAX_ENCODED_LENGTH];
            final int[] lengths = new int[BATCH];
            final long[] times = new long[BATCH];
            final long[] orders = new long[BATCH + 3];
            final CommandView view = new CommandView();
            final SplittableRandom garbage = new SplittableRandom(seed);
            for (int batch = 0; batch < 12_000; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    times[i] = workload.nextTime();
                    lengths[i] = workload.next(slots[i], 0);
                    orders[i] = CommandCodec.orderIdHint(slots[i], 0, lengths[i]);
                }
                // Ids and times no command has: absent, negative, the largest, any.
                orders[BATCH] = 0;
                orders[BATCH + 1] = -garbage.nextLong(1, Long.MAX_VALUE);
                orders[BATCH + 2] = garbage.nextBoolean() ? Long.MAX_VALUE : garbage.nextLong();
                final long until = batch % 7 == 0 ? garbage.nextLong() : times[BATCH - 1];
                readAhead.prefetchOrders(orders, orders.length, until);
                for (int i = 0; i < BATCH; i++)
                {
                    final int expected = plain.apply(times[i], view.wrap(slots[i], 0, lengths[i]));
                    final int actual = readAhead.apply(times[i], view.wrap(slots[i], 0, lengths[i]));
                    assertEquals(expected, actual, "seed " + seed + ", batch " + batch + ", command " + i);
                }
                assertEquals(plain.view().stateHash(), readAhead.view().stateHash(),
                    "seed " + seed + ", batch " + batch);
            }
            assertTrue(readAhead.view().ordersForgotten() > 0,
                "the run forgets orders, so the retention queue is read");
            assertTrue(readAhead.view().orderCount() > 0);
            readAhead.view().checkInvariants();
        }
    }

    @Test
    void theExpiryQueueNamesOnlyDueRowsAndItsTopFirstAndStaysAsItWas()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final ExpiryQueue queue = new ExpiryQueue(0);
        final ExpiryQueue twin = new ExpiryQueue(0);
        final Map<Integer, Long> deadlineOfRow = new HashMap<>();
        final int[] rows = new int[BATCH];
        for (int row = 0; row < 20_000; row++)
        {
            final long deadline = 1_000 + random.nextInt(100_000);
            queue.add(deadline, row + 1, row);
            twin.add(deadline, row + 1, row);
            deadlineOfRow.put(row, deadline);
        }
        int namedSome = 0;
        while (!queue.isEmpty())
        {
            final long now = queue.peekDeadline() + random.nextInt(50);
            final int found = queue.dueRows(now, rows, BATCH);
            assertTrue(found >= 1 && found <= BATCH, "found " + found);
            assertEquals(queue.peekRow(), rows[0], "the top is named first");
            for (int i = 0; i < found; i++)
            {
                assertTrue(deadlineOfRow.get(rows[i]) <= now, "row " + rows[i] + " is not due at " + now);
            }
            namedSome += found > 1 ? 1 : 0;
            assertEquals(0, queue.dueRows(queue.peekDeadline() - 1, rows, BATCH));
            assertEquals(twin.peekRow(), queue.peekRow());
            assertEquals(twin.peekDeadline(), queue.peekDeadline());
            queue.removeTop();
            twin.removeTop();
        }
        assertTrue(namedSome > 1_000, "rows past the top were named " + namedSome + " times");
    }

    @Test
    void theRetentionQueueNamesTheDueRowsFromItsHead()
    {
        final RetentionQueue queue = new RetentionQueue(0);
        for (int row = 0; row < 10_000; row++)
        {
            queue.add(row / 3, row + 1, row);
        }
        final int[] rows = new int[BATCH];
        assertEquals(0, queue.dueRows(-1, rows, BATCH));
        assertEquals(3, queue.dueRows(0, rows, BATCH));
        assertEquals(2, rows[2]);
        assertEquals(BATCH, queue.dueRows(1_000, rows, BATCH));
        for (int i = 0; i < BATCH; i++)
        {
            assertEquals(i, rows[i]);
        }
        for (int i = 0; i < 5_000; i++)
        {
            queue.removeHead();
        }
        assertEquals(1, queue.dueRows(1_666, rows, BATCH));
        assertEquals(5_000, rows[0]);
        assertEquals(5_000, queue.peekRow());
        assertEquals(5_000, queue.size());
    }
}
