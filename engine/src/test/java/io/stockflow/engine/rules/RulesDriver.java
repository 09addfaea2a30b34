package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.TestCommands;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds commands to a {@link FulfillmentRules} (which gives them gap-free
 * sequences) at a settable time, returning outcomes by name for readable assertions, and
 * records the expiries reported through the listener.
 */
final class RulesDriver
{
    static final long T0 = 1_700_000_000_000L;

    final List<Long> expired = new ArrayList<>();
    final FulfillmentRules rules = new FulfillmentRules(expired::add);
    private long time = T0;

    RulesDriver at(final long eventTime)
    {
        time = eventTime;
        return this;
    }

    long time()
    {
        return time;
    }

    String apply(final CommandView command)
    {
        return Outcome.name(rules.apply(time, command));
    }

    String restock(final long sku, final long qty)
    {
        return apply(TestCommands.restock(sku, qty));
    }

    String adjust(final long sku, final long delta)
    {
        return apply(TestCommands.adjust(sku, delta));
    }

    String place(final long order, final long account, final long ttlMs, final long... skuQtyPrice)
    {
        return apply(TestCommands.place(order, account, ttlMs, skuQtyPrice));
    }

    String placeLines(final long order, final long... skuQtyPrice)
    {
        return place(order, 7, 0, skuQtyPrice);
    }

    String cancel(final long order)
    {
        return apply(TestCommands.order(CommandType.CANCEL, order));
    }

    String ship(final long order)
    {
        return apply(TestCommands.order(CommandType.SHIP, order));
    }

    String deliver(final long order)
    {
        return apply(TestCommands.order(CommandType.DELIVER, order));
    }

    String returnOrder(final long order)
    {
        return apply(TestCommands.order(CommandType.RETURN, order));
    }

    long onHand(final long sku)
    {
        return rules.view().onHand(sku);
    }

    long reserved(final long sku)
    {
        return rules.view().reserved(sku);
    }

    OrderStatus status(final long order)
    {
        return rules.view().orderStatus(order);
    }
}
