package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;

import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * A quick, JMH-free measurement behind the choice of state structures: the
 * open-addressing {@link LongIntIndex} against {@code HashMap<Long, Integer>}
 * (time per operation and heap per entry), and {@link FulfillmentRules#apply}
 * throughput and heap on a realistic mix. Indicative numbers only; the perf
 * module holds the real benchmarks. Run with
 * {@code java -cp target/classes:target/test-classes io.stockflow.engine.rules.RulesTimingMain}.
 */
public final class RulesTimingMain
{
    private static final int KEYS = 4_000_000;

    private RulesTimingMain()
    {
    }

    public static void main(final String[] args)
    {
        for (int round = 0; round < 3; round++)
        {
            System.out.println("round " + round);
            indexes(sequentialKeys(), "sequential");
            indexes(randomKeys(), "random");
            rules(5_000_000);
        }
    }

    private static void indexes(final long[] keys, final String kind)
    {
        final long baseline = usedHeap();
        long start = System.nanoTime();
        final LongIntIndex index = new LongIntIndex(0);
        for (int i = 0; i < keys.length; i++)
        {
            index.putNew(keys[i], i);
        }
        final long indexPut = System.nanoTime() - start;
        final long indexHeap = usedHeap() - baseline;
        start = System.nanoTime();
        long sum = 0;
        for (int i = keys.length - 1; i >= 0; i--)
        {
            sum += index.get(keys[(int)(((i * 0x9E3779B97F4A7C15L) >>> 1) % keys.length)]);
        }
        final long indexHit = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < keys.length; i++)
        {
            sum += index.get(-keys[i] + Long.MIN_VALUE);
        }
        final long indexMiss = System.nanoTime() - start;

        final long mapBaseline = usedHeap();
        start = System.nanoTime();
        final HashMap<Long, Integer> map = new HashMap<>();
        for (int i = 0; i < keys.length; i++)
        {
            map.put(keys[i], i);
        }
        final long mapPut = System.nanoTime() - start;
        final long mapHeap = usedHeap() - mapBaseline;
        start = System.nanoTime();
        for (int i = keys.length - 1; i >= 0; i--)
        {
            sum += map.get(keys[(int)(((i * 0x9E3779B97F4A7C15L) >>> 1) % keys.length)]);
        }
        final long mapHit = System.nanoTime() - start;
        System.out.printf("  %s %,d keys: LongIntIndex put %.1f ns, hit %.1f ns, miss %.1f ns, %d B/entry | " +
            "HashMap<Long,Integer> put %.1f ns, hit %.1f ns, %d B/entry (%d)%n",
            kind, keys.length, perOp(indexPut), perOp(indexHit), perOp(indexMiss), indexHeap / keys.length,
            perOp(mapPut), perOp(mapHit), mapHeap / keys.length, sum & 1);
        if (map.size() != index.size())
        {
            throw new IllegalStateException("sizes differ");
        }
    }

    private static void rules(final int events)
    {
        final long baseline = usedHeap();
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final RandomWorkload workload = new RandomWorkload(1, 100_000, true);
        final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        final long start = System.nanoTime();
        for (int sequence = 1; sequence <= events; sequence++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            rules.apply(time, view);
        }
        final long elapsed = System.nanoTime() - start;
        rules.view().checkInvariants();
        System.out.printf("  rules: %,d events (workload generation included) %.0f ns/event, %.2f M events/s; " +
            "%,d orders, %,d lines, %,d skus, %,d pending expiry entries, heap %d MB%n",
            events, (double)elapsed / events, events * 1e3 / elapsed, rules.view().orderCount(),
            rules.view().orderLineCount(),
            rules.view().skuCount(), rules.view().pendingExpiryEntries(), (usedHeap() - baseline) >> 20);
    }

    private static long[] sequentialKeys()
    {
        final long[] keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = i + 1;
        }
        return keys;
    }

    private static long[] randomKeys()
    {
        final SplittableRandom random = new SplittableRandom(1);
        final long[] keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = 1 + random.nextLong(Long.MAX_VALUE - 1);
        }
        return keys;
    }

    private static double perOp(final long nanos)
    {
        return (double)nanos / KEYS;
    }

    private static long usedHeap()
    {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
