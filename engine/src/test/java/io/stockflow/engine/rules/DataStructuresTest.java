package io.stockflow.engine.rules;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
