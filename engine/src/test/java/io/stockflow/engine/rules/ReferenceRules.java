package io.stockflow.engine.rules;

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
 * oracle that {@link FulfillmentRules} is compared against on random runs.
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
        List<Line> lines;
    }

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
                order.status = OrderStatus.EXPIRED;
                expired.add(id);
            }
        }
        switch (command.type())
        {
            case RESTOCK:
            {
                final long sku = command.sku();
                final long qty = command.qty();
                if (sku <= 0 || qty < 1 || qty > 1_000_000_000L)
                {
                    return RejectReason.INVALID;
                }
                final Sku state = skus.get(sku);
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
                return orderCommand(command);
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
        final Order order = new Order();
        order.account = command.account();
        order.lines = lines;
        orders.put(id, order);
        if (lines.stream().anyMatch(line -> !skus.containsKey(line.sku())))
        {
            order.status = OrderStatus.REJECTED;
            return RejectReason.UNKNOWN_SKU;
        }
        if (lines.stream().anyMatch(line -> line.qty() > skus.get(line.sku()).onHand - skus.get(line.sku()).reserved))
        {
            order.status = OrderStatus.REJECTED;
            return RejectReason.INSUFFICIENT_STOCK;
        }
        lines.forEach(line -> skus.get(line.sku()).reserved += line.qty());
        order.status = OrderStatus.RESERVED;
        final long sum = t + (ttl == 0 ? 900_000 : ttl);
        order.deadline = sum < t ? Long.MAX_VALUE : sum;
        reservedByDeadline.computeIfAbsent(order.deadline, k -> new TreeSet<>()).add(id);
        return null;
    }

    private RejectReason orderCommand(final CommandView command)
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
                    if (command.type() == io.stockflow.engine.command.CommandType.SHIP)
                    {
                        sku.onHand -= line.qty();
                    }
                }
                reservedByDeadline.get(order.deadline).remove(id);
                if (reservedByDeadline.get(order.deadline).isEmpty())
                {
                    reservedByDeadline.remove(order.deadline);
                }
                order.status = command.type() == io.stockflow.engine.command.CommandType.SHIP ? OrderStatus.SHIPPED
                    : OrderStatus.CANCELLED;
                return null;
            case DELIVER:
                if (order.status != OrderStatus.SHIPPED)
                {
                    return RejectReason.INVALID_STATE;
                }
                order.status = OrderStatus.DELIVERED;
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
                order.status = OrderStatus.RETURNED;
                return null;
        }
    }
}
