package io.stockflow.engine.rules;

import java.util.Objects;

/**
 * The reused {@link OrderLines} flyweight over one order's lines in the
 * {@link OrderTable} arena: pointing it at another order allocates nothing, so
 * visiting millions of orders for a snapshot or a query creates no garbage. Owned
 * by the thread that reads through it.
 */
final class OrderLinesFlyweight implements OrderLines
{
    private final OrderTable orders;
    private int first;
    private int count;

    /** @param orders the table whose lines this reads. */
    OrderLinesFlyweight(final OrderTable orders)
    {
        this.orders = orders;
    }

    /**
     * @param row an order's row.
     * @return this, now over that order's lines.
     */
    OrderLinesFlyweight of(final int row)
    {
        first = orders.firstLine(row);
        count = orders.lineCount(row);
        return this;
    }

    @Override
    public int count()
    {
        return count;
    }

    @Override
    public long sku(final int lineIndex)
    {
        return orders.lineSku(line(lineIndex));
    }

    @Override
    public long qty(final int lineIndex)
    {
        return orders.lineQty(line(lineIndex));
    }

    @Override
    public long price(final int lineIndex)
    {
        return orders.linePrice(line(lineIndex));
    }

    private int line(final int lineIndex)
    {
        return first + Objects.checkIndex(lineIndex, count);
    }
}
