package io.stockflow.cli;

import io.stockflow.engine.rules.OrderLines;
import io.stockflow.engine.rules.OrderStatus;
import io.stockflow.engine.rules.StateView;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;

/**
 * Prints a state: JSON exactly as docs/DOMAIN.md "Text form" shows it (SKUs and
 * orders ascending by id, {@code deadline} only for RESERVED orders), or a table
 * for people. Sorting happens here, never in the rules.
 */
final class StatePrinter
{
    private StatePrinter()
    {
    }

    static String hash(final long stateHash)
    {
        return String.format("%016x", stateHash);
    }

    static void printJson(final StateView state, final PrintWriter out)
    {
        final StringBuilder line = new StringBuilder(256);
        out.print("{\"events\":" + state.events() + ",\"lastSeq\":" + state.lastSequence()
            + ",\"eventTime\":" + state.eventTime() + ",\"stateHash\":\"" + hash(state.stateHash())
            + "\",\"retentionMs\":" + state.retentionMs() + ",\"orderCapacity\":" + state.orderCapacity()
            + ",\"skuCapacity\":" + state.skuCapacity() + ",\"ordersForgotten\":" + state.ordersForgotten()
            + ",\"skus\":[");
        final long[] skus = sortedSkus(state);
        for (int i = 0; i < skus.length; i++)
        {
            line.setLength(0);
            if (i > 0)
            {
                line.append(',');
            }
            line.append("{\"sku\":").append(skus[i]).append(",\"onHand\":").append(state.onHand(skus[i]))
                .append(",\"reserved\":").append(state.reserved(skus[i])).append('}');
            out.append(line);
        }
        out.print("],\"orders\":[");
        final long[] orders = sortedOrders(state);
        for (int i = 0; i < orders.length; i++)
        {
            line.setLength(0);
            if (i > 0)
            {
                line.append(',');
            }
            final long order = orders[i];
            final OrderStatus status = state.orderStatus(order);
            line.append("{\"order\":").append(order).append(",\"account\":").append(state.orderAccount(order))
                .append(",\"status\":\"").append(status.name()).append('"');
            if (status == OrderStatus.RESERVED)
            {
                line.append(",\"deadline\":").append(state.orderDeadline(order));
            }
            line.append(",\"changedAt\":").append(state.orderChangedAt(order)).append(",\"lines\":[");
            final OrderLines lines = state.orderLines(order);
            for (int l = 0; l < lines.count(); l++)
            {
                if (l > 0)
                {
                    line.append(',');
                }
                line.append("{\"sku\":").append(lines.sku(l)).append(",\"qty\":").append(lines.qty(l))
                    .append(",\"price\":").append(lines.price(l)).append('}');
            }
            line.append("]}");
            out.append(line);
        }
        out.println("]}");
    }

    static void printTable(final StateView state, final PrintWriter out)
    {
        out.printf("events %d   lastSeq %d   eventTime %d (%s)   stateHash %s%n", state.events(),
            state.lastSequence(), state.eventTime(), Instant.ofEpochMilli(state.eventTime()), hash(state.stateHash()));
        out.printf("retentionMs %d   orderCapacity %d   skuCapacity %d   ordersForgotten %d%n", state.retentionMs(),
            state.orderCapacity(), state.skuCapacity(), state.ordersForgotten());
        final long[] skus = sortedSkus(state);
        out.printf("%nSKUs: %d%n%12s %16s %16s %16s%n", skus.length, "sku", "onHand", "reserved", "available");
        for (final long sku : skus)
        {
            out.printf("%12d %16d %16d %16d%n", sku, state.onHand(sku), state.reserved(sku), state.available(sku));
        }
        final long[] orders = sortedOrders(state);
        out.printf("%nOrders: %d%n%12s %12s %-10s %15s %15s  %s%n", orders.length, "order", "account", "status",
            "deadline", "changedAt", "lines (sku x qty @ price)");
        final StringBuilder linesText = new StringBuilder();
        for (final long order : orders)
        {
            final OrderStatus status = state.orderStatus(order);
            final OrderLines lines = state.orderLines(order);
            linesText.setLength(0);
            for (int l = 0; l < lines.count(); l++)
            {
                if (l > 0)
                {
                    linesText.append(", ");
                }
                linesText.append(lines.sku(l)).append(" x ").append(lines.qty(l)).append(" @ ").append(lines.price(l));
            }
            out.printf("%12d %12d %-10s %15s %15d  %s%n", order, state.orderAccount(order), status.name(),
                status == OrderStatus.RESERVED ? Long.toString(state.orderDeadline(order)) : "",
                state.orderChangedAt(order), linesText);
        }
    }

    private static long[] sortedSkus(final StateView state)
    {
        final long[] ids = new long[state.skuCount()];
        final int[] count = {0};
        state.forEachSku((sku, onHand, reserved) -> ids[count[0]++] = sku);
        Arrays.sort(ids);
        return ids;
    }

    private static long[] sortedOrders(final StateView state)
    {
        final long[] ids = new long[state.orderCount()];
        final int[] count = {0};
        state.forEachOrder((order, account, status, deadline, changedAt, lines) -> ids[count[0]++] = order);
        Arrays.sort(ids);
        return ids;
    }
}
