package io.stockflow.engine.workload;

import io.stockflow.engine.command.CommandType;

import java.util.SplittableRandom;

/**
 * A seeded, realistic order-flow workload for the demo and the benchmarks.
 *
 * <p>Thousands of SKUs with Zipf-skewed popularity (a few hot SKUs take most
 * orders); every SKU is stocked first, then a steady mix: orders placed (1 to 3
 * lines, a share with short TTLs so reservations expire), shipped, delivered,
 * returned and cancelled; periodic restocks of popular SKUs; stock-count
 * adjustments; and a small share of invalid commands and duplicate order ids, so
 * every outcome of docs/DOMAIN.md shows up. The same seed gives the same commands.
 *
 * <p>It tracks order ids it has placed, shipped and delivered in fixed-size
 * rings of primitives, not what the engine decided, so some follow-ups are
 * rejected (shipping an order that expired), as in real traffic. Generating
 * allocates nothing once constructed.
 */
public final class WorkloadGenerator
{
    /** The demo's SKU count, which the benchmarks use too so they measure the demo's traffic. */
    public static final int DEMO_SKUS = 5_000;
    /** The demo's seed. */
    public static final long DEMO_SEED = 42;

    private static final long START_TIME_MS = 1_700_000_000_000L;
    private static final int POOL_SIZE = 1 << 14;

    private final SplittableRandom random;
    private final int skuCount;
    private final double[] popularityCdf;
    private final long[] placed = new long[POOL_SIZE];
    private final long[] shipped = new long[POOL_SIZE];
    private final long[] delivered = new long[POOL_SIZE];
    private int placedHead;
    private int placedSize;
    private int shippedHead;
    private int shippedSize;
    private int deliveredHead;
    private int deliveredSize;
    private long nextOrderId = 1;
    private long timeMs = START_TIME_MS;
    private int restocked;
    private long generated;

    /**
     * @param seed     the seed; the same seed gives the same sequence of commands.
     * @param skuCount how many SKUs, at least 1.
     */
    public WorkloadGenerator(final long seed, final int skuCount)
    {
        if (skuCount < 1)
        {
            throw new IllegalArgumentException("skuCount=" + skuCount + ": must be >= 1");
        }
        this.random = new SplittableRandom(seed);
        this.skuCount = skuCount;
        this.popularityCdf = zipfCdf(skuCount, 1.1);
    }

    /** @return a fresh generator of the demo's mix ({@link #DEMO_SEED}, {@link #DEMO_SKUS}); every call gives the same commands. */
    public static WorkloadGenerator demo()
    {
        return new WorkloadGenerator(DEMO_SEED, DEMO_SKUS);
    }

    /** @return commands generated so far. */
    public long generated()
    {
        return generated;
    }

    /** @return SKUs in the workload. */
    public int skuCount()
    {
        return skuCount;
    }

    /**
     * Fills {@code into} with the next command.
     *
     * @param into the reusable holder.
     */
    public void next(final GeneratedCommand into)
    {
        generated++;
        timeMs += random.nextInt(3);
        into.ts = timeMs;
        if (restocked < skuCount)
        {
            restock(into, ++restocked, 500 + random.nextInt(5_000));
            return;
        }
        final int roll = random.nextInt(1_000);
        if (roll < 440)
        {
            place(into);
        }
        else if (roll < 640)
        {
            followUp(into, CommandType.SHIP);
        }
        else if (roll < 790)
        {
            followUp(into, CommandType.DELIVER);
        }
        else if (roll < 830)
        {
            followUp(into, CommandType.RETURN);
        }
        else if (roll < 900)
        {
            followUp(into, CommandType.CANCEL);
        }
        else if (roll < 970)
        {
            restock(into, popularSku(), 50 + random.nextInt(2_000));
        }
        else if (roll < 985)
        {
            adjust(into);
        }
        else if (roll < 993)
        {
            invalid(into);
        }
        else
        {
            duplicate(into);
        }
    }

    private void restock(final GeneratedCommand into, final long sku, final long qty)
    {
        into.type = CommandType.RESTOCK;
        into.sku = sku;
        into.qty = qty;
    }

    private void adjust(final GeneratedCommand into)
    {
        into.type = CommandType.ADJUST;
        into.sku = popularSku();
        into.delta = random.nextInt(21) - 15;
        if (into.delta == 0)
        {
            into.delta = -1;
        }
    }

    private void place(final GeneratedCommand into)
    {
        into.type = CommandType.PLACE;
        into.order = nextOrderId++;
        into.account = 1 + random.nextInt(50_000);
        final int ttlRoll = random.nextInt(100);
        into.ttlMs = ttlRoll < 15 ? 200 + random.nextInt(2_000) : ttlRoll < 30 ? 0 : 60_000 + random.nextInt(600_000);
        final int lines = 1 + (random.nextInt(10) < 7 ? 0 : random.nextInt(3));
        into.lineCount = 0;
        for (int i = 0; i < lines; i++)
        {
            final long sku = popularSku();
            if (!containsSku(into, sku))
            {
                into.lineSkus[into.lineCount] = sku;
                into.lineQtys[into.lineCount] = 1 + random.nextInt(4);
                into.linePrices[into.lineCount] = 100 + random.nextInt(50_000);
                into.lineCount++;
            }
        }
        placedHead = push(placed, placedHead, into.order);
        placedSize = Math.min(placedSize + 1, POOL_SIZE);
    }

    private void followUp(final GeneratedCommand into, final CommandType type)
    {
        into.type = type;
        switch (type)
        {
            case SHIP:
                into.order = take(placed, placedHead, placedSize);
                if (into.order > 0)
                {
                    placedSize--;
                    shippedHead = push(shipped, shippedHead, into.order);
                    shippedSize = Math.min(shippedSize + 1, POOL_SIZE);
                }
                break;
            case CANCEL:
                into.order = take(placed, placedHead, placedSize);
                if (into.order > 0)
                {
                    placedSize--;
                }
                break;
            case DELIVER:
                into.order = take(shipped, shippedHead, shippedSize);
                if (into.order > 0)
                {
                    shippedSize--;
                    deliveredHead = push(delivered, deliveredHead, into.order);
                    deliveredSize = Math.min(deliveredSize + 1, POOL_SIZE);
                }
                break;
            default:
                into.order = take(delivered, deliveredHead, deliveredSize);
                if (into.order > 0)
                {
                    deliveredSize--;
                }
                break;
        }
        if (into.order <= 0)
        {
            // Nothing to follow up yet: an order id never placed, rejected UNKNOWN_ORDER.
            into.order = nextOrderId + 1_000_000_000L;
        }
    }

    private void invalid(final GeneratedCommand into)
    {
        switch (random.nextInt(4))
        {
            case 0:
                restock(into, popularSku(), 0);
                break;
            case 1:
                restock(into, -popularSku(), 10);
                break;
            case 2:
                place(into);
                into.lineQtys[0] = -5;
                break;
            default:
                into.type = CommandType.SHIP;
                into.order = 0;
                break;
        }
    }

    private void duplicate(final GeneratedCommand into)
    {
        place(into);
        if (nextOrderId > 2)
        {
            into.order = 1 + random.nextLong(nextOrderId - 2);
        }
    }

    /**
     * Removes a pseudo-random entry from a ring (newest at {@code head - 1}, oldest
     * at {@code head - size}) by moving the oldest into its place; the caller
     * then decrements the size.
     */
    private long take(final long[] ring, final int head, final int size)
    {
        if (size == 0)
        {
            return 0;
        }
        final int pick = (head - 1 - random.nextInt(size)) & (POOL_SIZE - 1);
        final int oldest = (head - size) & (POOL_SIZE - 1);
        final long order = ring[pick];
        ring[pick] = ring[oldest];
        ring[oldest] = 0;
        return order;
    }

    private static int push(final long[] ring, final int head, final long order)
    {
        ring[head] = order;
        return (head + 1) & (POOL_SIZE - 1);
    }

    private static boolean containsSku(final GeneratedCommand into, final long sku)
    {
        for (int i = 0; i < into.lineCount; i++)
        {
            if (into.lineSkus[i] == sku)
            {
                return true;
            }
        }
        return false;
    }

    private long popularSku()
    {
        final double u = random.nextDouble();
        int low = 0;
        int high = popularityCdf.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (popularityCdf[mid] < u)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low + 1;
    }

    private static double[] zipfCdf(final int n, final double exponent)
    {
        final double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++)
        {
            cdf[i] /= sum;
        }
        return cdf;
    }
}
