package io.stockflow.engine.rules;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The retention queue is rebuilt at restore in settle order, ties in row order; the packed
 * sort and the merge sort it falls back to must give exactly that order.
 */
class StateRestorerSortTest
{
    @Test
    void packedSortAndMergeSortAgreeOnKeysWithTiesAndOnTheFallbackRange()
    {
        final SplittableRandom random = new SplittableRandom(42);
        // From 4,096 values up the packed sort is a radix sort: 2, 3 and 4 passes of 11 bits here.
        for (final int n : new int[] {1, 2, 7, 1_000, 4_095, 4_096, 40_000, 300_000})
        {
            for (final long span : new long[] {0, 5, 100_000, 600_000, 253_402_300_799_999L})
            {
                final int[] rows = new int[n];
                final long[] keys = new long[n];
                for (int i = 0; i < n; i++)
                {
                    rows[i] = i * 3 + 1;
                    keys[i] = span == 0 ? 17 : 1_700_000_000_000L % (span + 1) + random.nextLong(span + 1) / 2;
                }
                assertArrayEquals(StateRestorer.mergeSortByKey(rows, keys, n), StateRestorer.sortByKey(rows, keys, n),
                    "n=" + n + " span=" + span);
            }
        }
    }

    @Test
    void aSpanTooWideToPackStillSortsStably()
    {
        final int n = 40_000;
        final int[] rows = new int[n];
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = i;
            keys[i] = i % 2 == 0 ? 0 : 253_402_300_799_999L;
        }
        final int[] sorted = StateRestorer.sortByKey(rows, keys, n);
        final int[] expected = new int[n];
        for (int i = 0; i < n / 2; i++)
        {
            expected[i] = 2 * i;
            expected[n / 2 + i] = 2 * i + 1;
        }
        assertArrayEquals(expected, sorted);
    }
}
