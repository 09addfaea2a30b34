package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.TestCommands;

import java.util.SplittableRandom;

/**
 * A quick, JMH-free measurement behind {@link FulfillmentRules#prefetchOrders}:
 * SHIPs of 200,000 orders picked at random from the orders placed (old, cold orders),
 * applied one by one, or in batches read ahead first. Indicative numbers
 * only. Run with {@code java -Xms8g -Xmx8g -cp target/classes:target/test-classes
 * io.stockflow.engine.rules.PrefetchTimingMain 2000000}.
 */
public final class PrefetchTimingMain
{
    private static final int SHIPPED = 200_000;
    private static final int[] BATCHES = {1, 8, 16, 32};

    private PrefetchTimingMain()
    {
    }

    public static void main(final String[] args)
    {
        final int placed = Integer.parseInt(args[0]);
        long outcomes = 0;
        for (int round = 0; round < 3; round++)
        {
            for (final int batch : BATCHES)
            {
                final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE, 16, placed);
                rules.apply(1, TestCommands.restock(1, 1_000_000_000L));
                rules.apply(1, TestCommands.restock(2, 1_000_000_000L));
                for (int i = 1; i <= placed; i++)
                {
                    rules.apply(2, TestCommands.place(i, 7, 3_600_000, 1, 1, 100, 2, 1, 50));
                }
                final long[] window = new long[batch];
                final SplittableRandom random = new SplittableRandom(round);
                final long[] ids = new long[SHIPPED];
                final CommandView[] ships = new CommandView[SHIPPED];
                for (int i = 0; i < SHIPPED; i++)
                {
                    ids[i] = 1 + random.nextInt(placed);
                    ships[i] = TestCommands.order(CommandType.SHIP, ids[i]);
                }
                System.gc();
                final long start = System.nanoTime();
                for (int i = 0; i < SHIPPED; i += batch)
                {
                    final int end = Math.min(SHIPPED, i + batch);
                    if (batch > 1)
                    {
                        System.arraycopy(ids, i, window, 0, end - i);
                        rules.prefetchOrders(window, end - i, 3);
                    }
                    for (int j = i; j < end; j++)
                    {
                        outcomes += rules.apply(3, ships[j]);
                    }
                }
                final long elapsed = System.nanoTime() - start;
                System.out.printf("round %d, batches of %2d: %.0f ns a SHIP%n", round, batch,
                    (double)elapsed / SHIPPED);
            }
        }
        System.out.println("outcomes " + outcomes);
    }
}
