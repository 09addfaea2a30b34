package io.stockflow.engine.rules;

import io.stockflow.engine.columns.LongRows;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataStructuresTest
{
    @Test
    void indexShouldFindEveryKeyAcrossGrowthAndMissAbsentOnes()
    {
        final LongIntIndex index = new LongIntIndex(0);
        final Map<Long, Integer> expected = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++)
        {
            final long key =
                i % 3 == 0 ? i + 1 : i % 3 == 1 ? (long)(i + 1) << 40 : 1 + random.nextLong(Long.MAX_VALUE);
            if (!expected.containsKey(key))
            {
                expected.put(key, i);
                index.putNew(key, i);
            }
        }
        assertEquals(expected.size(), index.size());
        expected.forEach((key, value) -> assertEquals(value.intValue(), index.get(key)));
        assertEquals(LongIntIndex.MISSING, index.get(0));
        assertEquals(LongIntIndex.MISSING, index.get(-1));
        assertEquals(LongIntIndex.MISSING, index.get(Long.MIN_VALUE));
        assertEquals(LongIntIndex.MISSING, index.get(999_999_999_999L));
        assertTrue(index.size() <= index.slots() * 0.6);
    }

    @Test
    void indexShouldAgreeWithAMapThroughInsertsRemovalsAndReinsertsWhileDraining()
    {
        final LongIntIndex index = new LongIntIndex(0);
        final Map<Long, Integer> expected = new HashMap<>();
        final long[] keys = new long[60_000];
        final SplittableRandom random = new SplittableRandom(11);
        int steps = 0;
        int stepsWhileDraining = 0;
        int removalsWhileDraining = 0;
        for (int round = 0; round < 400_000; round++)
        {
            // Keys from a small space, so removed keys come back while a drain is under way.
            final long key = 1 + random.nextInt(keys.length) * 7L + (round % 2 == 0 ? 0 : 1L << 36);
            final boolean draining = index.draining();
            final int choice = random.nextInt(10);
            if (choice < 6)
            {
                // putNew refuses a present key; putIfAbsent says so and changes nothing.
                final boolean ifAbsent = random.nextBoolean();
                if (expected.containsKey(key))
                {
                    if (ifAbsent)
                    {
                        assertFalse(index.putIfAbsent(key, -round));
                    }
                    else
                    {
                        assertThrows(IllegalArgumentException.class, () -> index.putNew(key, 1));
                    }
                }
                else
                {
                    expected.put(key, round);
                    if (ifAbsent)
                    {
                        assertTrue(index.putIfAbsent(key, round));
                    }
                    else
                    {
                        index.putNew(key, round);
                    }
                }
            }
            else if (choice < 9)
            {
                final Integer removed = expected.remove(key);
                assertEquals(removed == null ? LongIntIndex.MISSING : removed.intValue(), index.remove(key));
                if (draining && removed != null)
                {
                    removalsWhileDraining++;
                }
            }
            else
            {
                final Integer value = expected.get(key);
                assertEquals(value == null ? LongIntIndex.MISSING : value.intValue(), index.get(key));
            }
            assertEquals(expected.size(), index.size());
            steps++;
            if (draining)
            {
                stepsWhileDraining++;
            }
        }
        expected.forEach((key, value) -> assertEquals(value.intValue(), index.get(key)));
        // The run must have exercised the drain, removals from the table being drained included.
        assertTrue(stepsWhileDraining > 1_000, "steps while draining: " + stepsWhileDraining + " of " + steps);
        assertTrue(removalsWhileDraining > 100, "removals while draining: " + removalsWhileDraining);
    }

    @Test
    void indexShouldFinishADrainBeforeAReserveAndKeepEveryKey()
    {
        final LongIntIndex index = new LongIntIndex(0);
        long key = 1;
        while (!index.draining())
        {
            index.putNew(key, (int)key);
            key++;
        }
        index.reserve(100_000);
        assertTrue(!index.draining());
        for (long k = 1; k < key; k++)
        {
            assertEquals((int)k, index.get(k));
        }
        final int slots = index.slots();
        for (long k = key; k <= 100_000; k++)
        {
            index.putNew(k, (int)k);
        }
        assertEquals(slots, index.slots());
        assertEquals(100_000, index.size());
    }

    @Test
    void retentionQueueShouldBeAFifoAcrossPagesEmptyingAndClearing()
    {
        final RetentionQueue queue = new RetentionQueue(0);
        final ArrayDeque<long[]> expected = new ArrayDeque<>();
        final SplittableRandom random = new SplittableRandom(3);
        long changedAt = 0;
        int maxSize = 0;
        int emptied = 0;
        for (int round = 0; round < 300_000; round++)
        {
            // Phases that grow the queue over many pages, then drain it to empty, then mix.
            final int phase = round / 20_000 % 3;
            final boolean add = expected.isEmpty() || (phase == 0 ? random.nextInt(10) < 8
                : phase == 1 ? random.nextInt(10) < 2 : random.nextBoolean());
            if (add)
            {
                changedAt += random.nextInt(3);
                final long[] entry = {changedAt, 1 + random.nextInt(1_000_000), random.nextInt(1 << 20)};
                expected.addLast(entry);
                queue.add(entry[0], entry[1], (int)entry[2]);
            }
            else
            {
                final long[] entry = expected.removeFirst();
                assertEquals(entry[0], queue.peekChangedAt());
                assertEquals(entry[1], queue.peekOrder());
                assertEquals((int)entry[2], queue.peekRow());
                queue.removeHead();
                if (expected.isEmpty())
                {
                    emptied++;
                }
            }
            assertEquals(expected.size(), queue.size());
            assertEquals(expected.isEmpty(), queue.isEmpty());
            maxSize = Math.max(maxSize, expected.size());
            if (round == 250_000)
            {
                queue.clear();
                expected.clear();
            }
        }
        assertTrue(maxSize > 2 * 4_096, "the queue must span at least three 4,096-entry pages: max " + maxSize);
        assertTrue(emptied > 0, "the queue must have run empty at least once");
    }

    @Test
    void indexShouldRefuseNonPositiveAndDuplicateKeys()
    {
        final LongIntIndex index = new LongIntIndex(4);
        index.putNew(Long.MAX_VALUE, 1);
        assertThrows(IllegalArgumentException.class, () -> index.putNew(Long.MAX_VALUE, 2));
        assertThrows(IllegalArgumentException.class, () -> index.putNew(0, 2));
        assertThrows(IllegalArgumentException.class, () -> index.putNew(-3, 2));
        assertEquals(1, index.get(Long.MAX_VALUE));
    }

    @Test
    void indexShouldBeSizedForTheExpectedCountWithoutGrowing()
    {
        final LongIntIndex index = new LongIntIndex(1_000);
        final int slots = index.slots();
        for (int i = 1; i <= 1_000; i++)
        {
            index.putNew(i, i);
        }
        assertEquals(slots, index.slots());
    }

    @Test
    void expiryQueueShouldPopInDeadlineThenOrderOrderLikeAReferenceHeap()
    {
        final ExpiryQueue queue = new ExpiryQueue(0);
        final PriorityQueue<long[]> reference = new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 100_000; round++)
        {
            if (random.nextInt(3) != 0 || queue.isEmpty())
            {
                final long deadline = random.nextInt(10) == 0 ? Long.MAX_VALUE : random.nextInt(1_000);
                final long order = 1 + random.nextInt(1_000_000);
                queue.add(deadline, order, round);
                reference.add(new long[] {deadline, order, round});
            }
            else
            {
                final long[] top = reference.poll();
                assertEquals(top[0], queue.peekDeadline());
                assertEquals(top[1], queue.peekOrder());
                queue.removeTop();
            }
            assertEquals(reference.size(), queue.size());
        }
        while (!reference.isEmpty())
        {
            final long[] top = reference.poll();
            assertEquals(top[0], queue.peekDeadline());
            assertEquals(top[1], queue.peekOrder());
            queue.removeTop();
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    void expiryQueueShouldMatchAReferenceHeapWhenUsedLikeTheRulesUseIt()
    {
        final ExpiryQueue queue = new ExpiryQueue(0);
        final PriorityQueue<long[]> reference = new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        final SplittableRandom random = new SplittableRandom(11);
        for (int pass = 0; pass < 2; pass++)
        {
            long now = pass == 0 ? -5_000_000L : 1_700_000_000_000L;
            int row = 0;
            for (int round = 0; round < 300_000; round++)
            {
                now += random.nextInt(3);
                while (!reference.isEmpty() && reference.peek()[0] <= now)
                {
                    final long[] top = reference.poll();
                    assertEquals(top[0], queue.peekDeadline());
                    assertEquals(top[1], queue.peekOrder());
                    assertEquals(top[2], queue.peekRow());
                    queue.removeTop();
                }
                if (random.nextInt(2) == 0)
                {
                    final int ttlRoll = random.nextInt(10);
                    final long ttl = ttlRoll == 0 ? 604_800_000L : ttlRoll < 4 ? 900_000 : 1 + random.nextInt(700_000);
                    final long order = 1 + random.nextInt(1 << 30);
                    queue.add(now + ttl, order, row);
                    reference.add(new long[] {now + ttl, order, row});
                    row++;
                }
                assertEquals(reference.size(), queue.size());
            }
            queue.clear();
            reference.clear();
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void longRowsShouldKeepEachRowsFieldsApartAcrossPagesAndReadNewPagesAsZero()
    {
        final LongRows rows = new LongRows(5, 1);
        assertEquals(LongRows.ROWS_PER_PAGE, rows.capacity());
        final int count = 3 * LongRows.ROWS_PER_PAGE + 17;
        rows.ensureCapacity(count);
        assertEquals(4 * LongRows.ROWS_PER_PAGE, rows.capacity());
        for (int row = 0; row < count; row++)
        {
            for (int field = 0; field < 5; field++)
            {
                assertEquals(0, rows.get(row, field));
            }
            rows.set(row, 0, row);
            rows.set(row, 1, -row);
            rows.set(row, 2, Long.MAX_VALUE - row);
            rows.set(row, 3, Long.MIN_VALUE + row);
            rows.set(row, 4, (long)row << 32 | 0xFF);
        }
        for (int row = 0; row < count; row++)
        {
            assertEquals(row, rows.get(row, 0));
            assertEquals(-row, rows.get(row, 1));
            assertEquals(Long.MAX_VALUE - row, rows.get(row, 2));
            assertEquals(Long.MIN_VALUE + row, rows.get(row, 3));
            assertEquals((long)row << 32 | 0xFF, rows.get(row, 4));
        }
        assertThrows(IllegalArgumentException.class, () -> new LongRows(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LongRows(9, 1));
        assertThrows(IllegalStateException.class, () -> rows.ensureCapacity(Integer.MAX_VALUE));
    }

    @Test
    void orderTableShouldKeepEveryFieldAcrossGrowthReserveAndStatusChanges()
    {
        final OrderTable orders = new OrderTable(0, 0);
        final int count = 5_000;
        for (int i = 0; i < count; i++)
        {
            if (i == count / 2)
            {
                orders.reserve(4 * count, 32 * count);
            }
            final int lineCount = 1 + i % 8;
            final int firstLine = orders.takeLines(lineCount);
            for (int line = 0; line < lineCount; line++)
            {
                orders.setLine(firstLine + line, 1 + line, 10 + i, 100 + line, line == 0 ? LongIntIndex.MISSING : line);
            }
            final OrderStatus status = i % 3 == 0 ? OrderStatus.REJECTED : OrderStatus.RESERVED;
            assertEquals(i, orders.add(1_000_000L + i, 7 + i, status, 5_000L + i, 100L + i, firstLine, lineCount));
        }
        for (int i = 0; i < count; i += 2)
        {
            if (orders.statusCode(i) == OrderStatus.RESERVED.code())
            {
                orders.setStatus(i, OrderStatus.CANCELLED, 200L + i);
            }
        }
        int line = 0;
        for (int i = 0; i < count; i++)
        {
            final boolean reserved = i % 3 != 0 && i % 2 != 0;
            assertEquals(i, orders.find(1_000_000L + i));
            assertEquals(1_000_000L + i, orders.id(i));
            assertEquals(7 + i, orders.account(i));
            assertEquals(reserved ? OrderStatus.RESERVED.code() : i % 3 == 0 ? OrderStatus.REJECTED.code()
                : OrderStatus.CANCELLED.code(), orders.statusCode(i));
            assertEquals(reserved ? 5_000L + i : 0, orders.deadline(i));
            assertEquals(line, orders.firstLine(i));
            assertEquals(1 + i % 8, orders.lineCount(i));
            for (int j = 0; j < orders.lineCount(i); j++, line++)
            {
                assertEquals(1 + j, orders.lineSku(line));
                assertEquals(10 + i, orders.lineQty(line));
                assertEquals(100 + j, orders.linePrice(line));
                assertEquals(j == 0 ? LongIntIndex.MISSING : j, orders.lineSkuRow(line));
            }
        }
        assertEquals(orders.recomputeHash(), orders.hash());
    }

    @Test
    void expiryQueueShouldCarryTheRowWithItsEntry()
    {
        final ExpiryQueue queue = new ExpiryQueue(2);
        queue.add(10, 3, 30);
        queue.add(10, 1, 10);
        queue.add(5, 9, 90);
        assertEquals(90, queue.peekRow());
        queue.removeTop();
        assertEquals(10, queue.peekRow());
        queue.removeTop();
        assertEquals(30, queue.peekRow());
    }
}
