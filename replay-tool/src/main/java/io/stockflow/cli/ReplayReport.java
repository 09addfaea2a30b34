package io.stockflow.cli;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.rules.FulfillmentRules;

import java.io.PrintWriter;

/** Prints what a replay did, as text for people or as one JSON object. */
final class ReplayReport
{
    private ReplayReport()
    {
    }

    static void printText(
        final PrintWriter out, final String snapshot, final ReplayStats stats, final FulfillmentRules state)
    {
        out.printf("snapshot     %s%n", snapshot);
        if (stats.events() == 0)
        {
            out.printf("replayed     0 events%n");
        }
        else
        {
            out.printf("replayed     %,d events (sequence %d..%d, event time %d..%d)%n", stats.events(),
                stats.firstSequence(), stats.lastSequence(), stats.firstEventTimeMs(), stats.lastEventTimeMs());
        }
        final StringBuilder types = new StringBuilder();
        for (final CommandType type : CommandType.values())
        {
            types.append(type.name()).append(' ').append(String.format("%,d", stats.count(type))).append("  ");
        }
        out.printf("by type      %s%n", types.toString().trim());
        out.printf("accepted     %,d%n", stats.accepted());
        out.printf("rejected     %,d%s%n", stats.rejected(), reasons(stats));
        out.printf("expiries     %,d%n", stats.expiries());
        if (stats.logicErrors() > 0)
        {
            out.printf("logic errors %,d%n", stats.logicErrors());
        }
        out.printf("rate         %,.0f events/s (%.3f s)%n", stats.eventsPerSecond(), stats.elapsedNs() / 1e9);
        out.printf("state        sequence %d, event time %d, %,d SKUs, %,d orders%n", state.lastSequence(),
            state.eventTime(), state.skuCount(), state.orderCount());
        out.printf("state hash   %s%n", StatePrinter.hash(state.stateHash()));
    }

    static void printJson(
        final PrintWriter out, final String snapshot, final ReplayStats stats, final FulfillmentRules state)
    {
        final StringBuilder json = new StringBuilder(512);
        json.append("{\"snapshot\":").append(snapshot == null ? "null" : "\"" + snapshot + "\"")
            .append(",\"events\":").append(stats.events())
            .append(",\"firstSeq\":").append(stats.firstSequence())
            .append(",\"lastSeq\":").append(state.lastSequence())
            .append(",\"eventTime\":").append(state.eventTime())
            .append(",\"byType\":{");
        boolean first = true;
        for (final CommandType type : CommandType.values())
        {
            json.append(first ? "" : ",").append('"').append(type.name()).append("\":").append(stats.count(type));
            first = false;
        }
        json.append("},\"accepted\":").append(stats.accepted()).append(",\"rejected\":{");
        first = true;
        for (final RejectReason reason : RejectReason.values())
        {
            json.append(first ? "" : ",").append('"').append(reason.name()).append("\":")
                .append(stats.rejected(reason));
            first = false;
        }
        json.append("},\"expiries\":").append(stats.expiries())
            .append(",\"logicErrors\":").append(stats.logicErrors())
            .append(",\"eventsPerSecond\":").append(Math.round(stats.eventsPerSecond()))
            .append(",\"elapsedMs\":").append(stats.elapsedNs() / 1_000_000)
            .append(",\"skus\":").append(state.skuCount())
            .append(",\"orders\":").append(state.orderCount())
            .append(",\"stateHash\":\"").append(StatePrinter.hash(state.stateHash())).append("\"}");
        out.println(json);
    }

    private static String reasons(final ReplayStats stats)
    {
        final StringBuilder text = new StringBuilder();
        for (final RejectReason reason : RejectReason.values())
        {
            if (stats.rejected(reason) > 0)
            {
                text.append(text.length() == 0 ? ": " : ", ").append(reason.name()).append(' ')
                    .append(String.format("%,d", stats.rejected(reason)));
            }
        }
        return text.toString();
    }
}
