package io.stockflow.perf.harness;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.rules.Limits;

/**
 * Orders held before a timed phase ({@code bench latency --preload-orders N}), so the
 * state is as large as a service's while it is measured and a snapshot costs what it
 * costs there. First RESTOCKs of {@value #SKUS} SKUs of its own, enough for every
 * order, then N PLACEs of one unit each with times to live of a day to a week, so every
 * one of them is accepted and stays RESERVED through the run. Its SKU and order ids are far
 * from the demo workload's, and its commands carry the workload's start time, so the
 * workload's outcomes do not change.
 */
final class OrderPreload implements CommandFields
{
    /** SKUs the preloaded orders reserve from. */
    static final int SKUS = 1_000;
    private static final long FIRST_SKU = 1_000_000_001L;
    private static final long FIRST_ORDER = 4_000_000_000_000L;
    private static final long ACCOUNT = 77;
    private static final long PRICE = 100;
    /** The demo workload's first command time (WorkloadGenerator starts there). */
    private static final long WORKLOAD_START_MS = 1_700_000_000_000L;

    /**
     * The preloaded orders' times to live spread over this much below the longest: a
     * service's held orders were placed over time and expire at different times, while a
     * million orders placed at one instant with one time to live would all tie on one
     * deadline, a case no real load makes (it grows the expiry queue's heap of ties to a
     * million entries).
     */
    private static final long TTL_SPREAD_MS = 86_400_000L;

    private CommandType type;
    private long sku;
    private long ttlMs;
    private long qty;
    private long order;

    private OrderPreload()
    {
    }

    /**
     * @param orders orders to preload.
     * @return the commands {@link #publish} sends for them.
     */
    static long commandsFor(final long orders)
    {
        return orders == 0 ? 0 : SKUS + orders;
    }

    /**
     * Publishes the RESTOCKs and the PLACEs, retrying BACKPRESSURE; the caller waits for
     * their release and checks that none was rejected.
     *
     * @param engine the engine.
     * @param orders orders to place, {@code >= 0}.
     */
    static void publish(final BenchEngine engine, final long orders)
    {
        if (orders == 0)
        {
            return;
        }
        final OrderPreload command = new OrderPreload();
        final long ts = WORKLOAD_START_MS;
        command.type = CommandType.RESTOCK;
        command.qty = orders / SKUS + 1;
        for (int i = 0; i < SKUS; i++)
        {
            command.sku = FIRST_SKU + i;
            engine.publish(command, ts);
        }
        command.type = CommandType.PLACE;
        for (long i = 0; i < orders; i++)
        {
            command.order = FIRST_ORDER + i;
            command.sku = FIRST_SKU + i % SKUS;
            command.ttlMs = Limits.MAX_TTL_MS - i % TTL_SPREAD_MS;
            engine.publish(command, ts);
        }
    }

    @Override
    public CommandType type()
    {
        return type;
    }

    @Override
    public long sku()
    {
        return sku;
    }

    @Override
    public long qty()
    {
        return qty;
    }

    @Override
    public long delta()
    {
        return 0;
    }

    @Override
    public long order()
    {
        return order;
    }

    @Override
    public long account()
    {
        return ACCOUNT;
    }

    @Override
    public long ttlMs()
    {
        return ttlMs;
    }

    @Override
    public int lineCount()
    {
        return 1;
    }

    @Override
    public long lineSku(final int lineIndex)
    {
        return sku;
    }

    @Override
    public long lineQty(final int lineIndex)
    {
        return 1;
    }

    @Override
    public long linePrice(final int lineIndex)
    {
        return PRICE;
    }
}
