package io.stockflow.engine.rules;

/**
 * The {@link StateView} of one {@link FulfillmentState}: reads the tables, never
 * writes them, and holds no reference to the rules, so nothing reached through it
 * can change the state. One instance per rules, with its own lines flyweight, so
 * handing it out allocates nothing.
 */
final class FulfillmentStateView implements StateView
{
    private final FulfillmentState state;
    private final SkuTable skus;
    private final OrderTable orders;
    private final OrderLinesFlyweight lines;

    /** @param state the state to read. */
    FulfillmentStateView(final FulfillmentState state)
    {
        this.state = state;
        this.skus = state.skus;
        this.orders = state.orders;
        this.lines = new OrderLinesFlyweight(state.orders);
    }

    @Override
    public long events()
    {
        return state.events;
    }

    @Override
    public long lastSequence()
    {
        return state.clock.lastSequence();
    }

    @Override
    public long eventTime()
    {
        return state.clock.lastEventTime();
    }

    @Override
    public long stateHash()
    {
        return state.stateHash();
    }

    @Override
    public long retentionMs()
    {
        return state.retentionMs;
    }

    @Override
    public long orderCapacity()
    {
        return state.orderCapacity;
    }

    @Override
    public long skuCapacity()
    {
        return state.skuCapacity;
    }

    @Override
    public long ordersForgotten()
    {
        return state.ordersForgotten;
    }

    @Override
    public long orderCapacityRefusals()
    {
        return state.orderCapacityRefusals;
    }

    @Override
    public long skuCapacityRefusals()
    {
        return state.skuCapacityRefusals;
    }

    @Override
    public int pendingRetentionEntries()
    {
        return state.settled.size();
    }

    @Override
    public int skuCount()
    {
        return skus.count();
    }

    @Override
    public int orderCount()
    {
        return orders.count();
    }

    @Override
    public int orderLineCount()
    {
        return orders.heldLines();
    }

    @Override
    public int pendingExpiryEntries()
    {
        return state.expiries.size();
    }

    @Override
    public boolean hasSku(final long sku)
    {
        return skus.find(sku) >= 0;
    }

    @Override
    public long onHand(final long sku)
    {
        return skus.onHand(skuRow(sku));
    }

    @Override
    public long reserved(final long sku)
    {
        return skus.reserved(skuRow(sku));
    }

    @Override
    public long available(final long sku)
    {
        final int row = skuRow(sku);
        return skus.onHand(row) - skus.reserved(row);
    }

    @Override
    public boolean hasOrder(final long order)
    {
        return orders.find(order) >= 0;
    }

    @Override
    public OrderStatus orderStatus(final long order)
    {
        final int row = orders.find(order);
        return row < 0 ? null : OrderStatus.fromCode(orders.statusCode(row));
    }

    @Override
    public long orderAccount(final long order)
    {
        return orders.account(orderRow(order));
    }

    @Override
    public long orderDeadline(final long order)
    {
        return orders.deadline(orderRow(order));
    }

    @Override
    public long orderChangedAt(final long order)
    {
        return orders.changedAt(orderRow(order));
    }

    @Override
    public OrderLines orderLines(final long order)
    {
        return lines.of(orderRow(order));
    }

    @Override
    public void forEachSku(final SkuVisitor visitor)
    {
        for (int row = 0, count = skus.count(); row < count; row++)
        {
            visitor.visitSku(skus.id(row), skus.onHand(row), skus.reserved(row));
        }
    }

    @Override
    public void forEachOrder(final OrderVisitor visitor)
    {
        for (int row = 0, limit = orders.rowLimit(); row < limit; row++)
        {
            if (orders.isHeld(row))
            {
                orders.visit(row, visitor, lines);
            }
        }
    }

    @Override
    public void checkInvariants()
    {
        StateInvariants.check(state);
    }

    private int skuRow(final long sku)
    {
        final int row = skus.find(sku);
        if (row < 0)
        {
            throw new IllegalArgumentException("unknown sku=" + sku);
        }
        return row;
    }

    private int orderRow(final long order)
    {
        final int row = orders.find(order);
        if (row < 0)
        {
            throw new IllegalArgumentException("unknown order=" + order);
        }
        return row;
    }
}
