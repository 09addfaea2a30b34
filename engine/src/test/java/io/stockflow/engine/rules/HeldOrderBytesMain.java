package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;

/**
 * Measures the heap the rules take per held order (the figure behind
 * {@code RuleParameters.BYTES_PER_HELD_ORDER}): places orders of the demo's line mix
 * (60% one line, 25% two, 15% three) and settles a third of them, holding a steady
 * number of orders under a one-minute retention, then compares the used heap after a
 * full collection with that of empty rules. Run it alone in a JVM:
 * {@code java -cp ... io.stockflow.engine.rules.HeldOrderBytesMain [heldOrders]}.
 */
public final class HeldOrderBytesMain
{
    private HeldOrderBytesMain()
    {
    }

    /**
     * @param args optional: the number of orders to hold (default 2,000,000).
     */
    public static void main(final String[] args)
    {
        final int held = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        final long before = usedAfterGc();
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        long t = RulesDriver.T0;
        rules.initializeParameters(RuleParameters.MIN_RETENTION_MS, 0, 0);
        for (int sku = 1; sku <= 1_000; sku++)
        {
            rules.apply(t, view.wrap(buffer, 0, CommandCodec.encodeRestock(buffer, 0, sku, 1_000_000_000)));
        }
        final long total = held * 3L;
        final long step = Math.max(1, RuleParameters.MIN_RETENTION_MS * 2 / total);
        for (long order = 1; order <= total; order++)
        {
            final int roll = (int)(order % 20);
            final int lines = roll < 12 ? 1 : roll < 17 ? 2 : 3;
            int length = CommandCodec.encodePlaceHeader(buffer, 0, order, 7, Limits.MAX_TTL_MS, lines);
            for (int i = 0; i < lines; i++)
            {
                CommandCodec.encodePlaceLine(buffer, 0, i, 1 + (order + i * 7) % 1_000, 1, 100);
            }
            rules.apply(t, view.wrap(buffer, 0, length));
            if (order % 3 == 0)
            {
                length = CommandCodec.encodeOrderCommand(buffer, 0, CommandType.SHIP, order);
                rules.apply(t, view.wrap(buffer, 0, length));
            }
            t += order % 1_000 == 0 ? step * 1_000 : 0;
        }
        final long after = usedAfterGc();
        final int orders = rules.view().orderCount();
        System.out.printf("held orders %,d (forgotten %,d, lines %,d): %,d B, %.1f B per held order%n", orders,
            rules.view().ordersForgotten(), rules.view().orderLineCount(), after - before,
            (double)(after - before) / orders);
    }

    private static long usedAfterGc()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
