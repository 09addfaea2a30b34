package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive second implementation of docs/DOMAIN.md, written straight from
 * the table with boxed maps, records and eager expiry bookkeeping, used as the
 * oracle that {@link FulfillmentRules} is compared against on random runs. Retention
 * is kept eagerly too: a map from changedAt to the settled orders that changed then,
 * updated on every status change, where the rules keep a lazy FIFO.
 */
final class ReferenceRules
{
    static final class Sku
    {
        long onHand;
        long reserved;
    }

    record Line(long sku, long qty, long price)
    {}

    static final class Order
    {
        long account;
        OrderStatus status;
        long deadline;
        long changedAt;
        List<Line> lines;
    }

    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    long forgotten;
    private final TreeMap<Long, TreeSet<Long>> settledByChangedAt = new TreeMap<>();

    final Map<Long, Sku> skus = new HashMap<>();
    final Map<Long, Order> orders = new HashMap<>();
    private final TreeMap<Long, TreeSet<Long>> reservedByDeadline = new TreeMap<>();
    final List<Long> expired = new ArrayList<>();

    /** @return null if accepted, else the reason. */
    RejectReason apply(final long t, final CommandView command)
    {
        expired.clear();
        while (!reservedByDeadline.isEmpty() && reservedByDeadline.firstKey() <= t)
        {
            for (final long id : reservedByDeadline.pollFirstEntry().getValue())
            {
                final Order order = orders.get(id);
                for (final Line line : order.lines)
                {
                    skus.get(line.sku()).reserved -= line.qty();
                }
                setStatus(id, order, OrderStatus.EXPIRED, t);
                expired.add(id);
            }
        }
        while (retentionMs > 0 && !settledByChangedAt.isEmpty() && settledByChangedAt.firstKey() + retentionMs <= t)
        {
            for (final long id : settledByChangedAt.pollFirstEntry().getValue())
            {
                orders.remove(id);
                forgotten++;
            }
        }
        switch (command.type())
        {
            case RULES:
                return rules(command);
            case RESTOCK:
            {
                final long sku = command.sku();
                final long qty = command.qty();
                if (sku <= 0 || qty < 1 || qty > 1_000_000_000L)
                {
                    return RejectReason.INVALID;
                }
                final Sku state = skus.get(sku);
                if (state == null && skuCapacity > 0 && skus.size() >= skuCapacity)
                {
                    return RejectReason.LIMIT_EXCEEDED;
                }
                if (state != null && state.onHand + qty > 1_000_000_000_000L)
                {
                    return RejectReason.LIMIT_EXCEEDED;
                }
                skus.computeIfAbsent(sku, k -> new Sku()).onHand += qty;
                return null;
            }
            case ADJUST:
            {
                final long sku = command.sku();
                final long delta = command.delta();
                if (sku <= 0 || delta == 0 || delta > 1_000_000_000L || delta < -1_000_000_000L)
                {
                    return RejectReason.INVALID;
                }
                final Sku state = skus.get(sku);
                if (state == null)
                {
                    return RejectReason.UNKNOWN_SKU;
                }
                if (state.onHand + delta < state.reserved)
                {
                    return RejectReason.INSUFFICIENT_STOCK;
                }
                if (state.onHand + delta > 1_000_000_000_000L)
                {
                    return RejectReason.LIMIT_EXCEEDED;
                }
                state.onHand += delta;
                return null;
            }
            case PLACE:
                return place(t, command);
            default:
                return orderCommand(command, t);
        }
    }

    /** The parameters record of a new directory. */
    void initialize(final long retention, final long orders, final long skuLimit)
    {
        retentionMs = retention;
        orderCapacity = orders;
        skuCapacity = skuLimit;
    }

    private RejectReason rules(final CommandView command)
    {
        final int given = command.ruleFields();
        if (given == 0)
        {
            return RejectReason.INVALID;
        }
        final long retention = (given & CommandFields.RETENTION_MS_GIVEN) != 0 ? command.retentionMs() : retentionMs;
        final long orders = (given & CommandFields.ORDER_CAPACITY_GIVEN) != 0 ? command.orderCapacity() : orderCapacity;
        final long skuLimit = (given & CommandFields.SKU_CAPACITY_GIVEN) != 0 ? command.skuCapacity() : skuCapacity;
        if (!(retention == 0 || (retention >= 60_000 && retention <= 31_536_000_000L)) || orders < 0 ||
            orders > 268_435_456L || skuLimit < 0 || skuLimit > 16_777_216L)
        {
            return RejectReason.INVALID;
        }
        initialize(retention, orders, skuLimit);
        return null;
    }

    private void setStatus(final long id, final Order order, final OrderStatus status, final long t)
    {
        if (order.status != null && order.status != OrderStatus.RESERVED)
        {
            final TreeSet<Long> before = settledByChangedAt.get(order.changedAt);
            before.remove(id);
            if (before.isEmpty())
            {
                settledByChangedAt.remove(order.changedAt);
            }
        }
        order.status = status;
        order.changedAt = t;
        if (status != OrderStatus.RESERVED)
        {
            settledByChangedAt.computeIfAbsent(t, k -> new TreeSet<>()).add(id);
        }
    }

    private RejectReason place(final long t, final CommandView command)
    {
        final long id = command.order();
        final long ttl = command.ttlMs();
        final int count = command.lineCount();
        if (id <= 0 || command.account() <= 0 || ttl < 0 || ttl > 604_800_000L || count < 1 || count > 8)
        {
            return RejectReason.INVALID;
        }
        final List<Line> lines = new ArrayList<>();
        final TreeSet<Long> seen = new TreeSet<>();
        for (int i = 0; i < count; i++)
        {
            final Line line = new Line(command.lineSku(i), command.lineQty(i), command.linePrice(i));
            if (line.sku() <= 0 || line.qty() < 1 || line.qty() > 1_000_000 || line.price() < 0 ||
                line.price() > 1_000_000_000 || !seen.add(line.sku()))
            {
                return RejectReason.INVALID;
            }
            lines.add(line);
        }
        if (orders.containsKey(id))
        {
            return RejectReason.DUPLICATE_ORDER;
        }
        if (orderCapacity > 0 && orders.size() >= orderCapacity)
        {
            return RejectReason.LIMIT_EXCEEDED;
        }
        final Order order = new Order();
        order.account = command.account();
        order.lines = lines;
        orders.put(id, order);
        if (lines.stream().anyMatch(line -> !skus.containsKey(line.sku())))
        {
            setStatus(id, order, OrderStatus.REJECTED, t);
            return RejectReason.UNKNOWN_SKU;
        }
        if (lines.stream().anyMatch(line -> line.qty() > skus.get(line.sku()).onHand - skus.get(line.sku()).reserved))
        {
            setStatus(id, order, OrderStatus.REJECTED, t);
            return RejectReason.INSUFFICIENT_STOCK;
        }
        lines.forEach(line -> skus.get(line.sku()).reserved += line.qty());
        setStatus(id, order, OrderStatus.RESERVED, t);
        final long sum = t + (ttl == 0 ? 900_000 : ttl);
        order.deadline = sum < t ? Long.MAX_VALUE : sum;
        reservedByDeadline.computeIfAbsent(order.deadline, k -> new TreeSet<>()).add(id);
        return null;
    }

    private RejectReason orderCommand(final CommandView command, final long t)
    {
        final long id = command.order();
        if (id <= 0)
        {
            return RejectReason.INVALID;
        }
        final Order order = orders.get(id);
        if (order == null)
        {
            return RejectReason.UNKNOWN_ORDER;
        }
        switch (command.type())
        {
            case CANCEL:
            case SHIP:
                if (order.status != OrderStatus.RESERVED)
                {
                    return RejectReason.INVALID_STATE;
                }
                for (final Line line : order.lines)
                {
                    final Sku sku = skus.get(line.sku());
                    sku.reserved -= line.qty();
                    if (command.type() == CommandType.SHIP)
                    {
                        sku.onHand -= line.qty();
                    }
                }
                reservedByDeadline.get(order.deadline).remove(id);
                if (reservedByDeadline.get(order.deadline).isEmpty())
                {
                    reservedByDeadline.remove(order.deadline);
                }
                setStatus(id, order, command.type() == CommandType.SHIP ? OrderStatus.SHIPPED : OrderStatus.CANCELLED,
                    t);
                return null;
            case DELIVER:
                if (order.status != OrderStatus.SHIPPED)
                {
                    return RejectReason.INVALID_STATE;
                }
                setStatus(id, order, OrderStatus.DELIVERED, t);
                return null;
            default:
                if (order.status != OrderStatus.DELIVERED)
                {
                    return RejectReason.INVALID_STATE;
                }
                if (order.lines.stream()
                    .anyMatch(line -> skus.get(line.sku()).onHand + line.qty() > 1_000_000_000_000L))
                {
                    return RejectReason.LIMIT_EXCEEDED;
                }
                order.lines.forEach(line -> skus.get(line.sku()).onHand += line.qty());
                setStatus(id, order, OrderStatus.RETURNED, t);
                return null;
        }
    }
}
