package io.stockflow.cli;

import io.stockflow.cli.text.TextFormat;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The outcome listener of {@code stockflow run}: counts outcomes for the summary
 * and, when asked, writes each result as a JSON line (journal order) from the
 * outcome stage's thread. Read the counts only after the engine is closed.
 */
final class RunSummary implements OutcomeListener
{
    private final OutputStream results;
    private final StringBuilder line = new StringBuilder(128);
    private final long[] rejectedByReason = new long[RejectReason.MAX_CODE + 1];
    private long commands;
    private long accepted;
    private long logicErrors;
    private long expiries;
    private long firstSequence;
    private long lastSequence;
    private IOException writeFailure;

    /** @param results where result lines go, or null for none. */
    RunSummary(final OutputStream results)
    {
        this.results = results;
    }

    @Override
    public void onResult(
        final long sequence, final long eventTimeMs, final CommandType type, final long entityId,
        final RejectReason rejectReason, final boolean logicError)
    {
        if (commands++ == 0)
        {
            firstSequence = sequence;
        }
        lastSequence = sequence;
        if (logicError)
        {
            logicErrors++;
        }
        else if (rejectReason == null)
        {
            accepted++;
        }
        else
        {
            rejectedByReason[rejectReason.code()]++;
        }
        if (results != null && writeFailure == null)
        {
            line.setLength(0);
            if (logicError)
            {
                line.append("{\"seq\":").append(sequence).append(",\"type\":\"").append(type.name())
                    .append("\",\"result\":\"LOGIC_ERROR\"}");
            }
            else
            {
                TextFormat.appendResult(line, sequence, type, entityId, rejectReason);
            }
            line.append('\n');
            try
            {
                for (int i = 0; i < line.length(); i++)
                {
                    results.write(line.charAt(i));
                }
            }
            catch (final IOException e)
            {
                writeFailure = e;
            }
        }
    }

    @Override
    public void onOrderExpired(final long sequence, final long orderId)
    {
        expiries++;
    }

    void finish()
    {
        if (results != null)
        {
            try
            {
                results.flush();
            }
            catch (final IOException e)
            {
                if (writeFailure == null)
                {
                    writeFailure = e;
                }
            }
        }
        if (writeFailure != null)
        {
            throw new UncheckedIOException("cannot write results: " + writeFailure.getMessage(), writeFailure);
        }
    }

    long commands()
    {
        return commands;
    }

    void print(final PrintWriter out, final long elapsedNs, final long engineLastSequence, final String stateHash)
    {
        long rejected = 0;
        final StringBuilder reasons = new StringBuilder();
        for (final RejectReason reason : RejectReason.values())
        {
            final long count = rejectedByReason[reason.code()];
            rejected += count;
            if (count > 0)
            {
                reasons.append(reasons.length() == 0 ? ": " : ", ").append(reason.name()).append(' ')
                    .append(String.format("%,d", count));
            }
        }
        out.printf("commands     %,d%s%n", commands,
            commands == 0 ? "" : String.format(" (sequence %d..%d)", firstSequence, lastSequence));
        out.printf("accepted     %,d%n", accepted);
        out.printf("rejected     %,d%s%n", rejected, reasons);
        if (logicErrors > 0)
        {
            out.printf("logic errors %,d%n", logicErrors);
        }
        out.printf("expiries     %,d%n", expiries);
        final double seconds = Math.max(1e-9, elapsedNs / 1e9);
        out.printf("throughput   %,.0f commands/s (%.3f s)%n", commands / seconds, seconds);
        out.printf("last seq     %d%n", engineLastSequence);
        out.printf("state hash   %s%n", stateHash);
    }
}
