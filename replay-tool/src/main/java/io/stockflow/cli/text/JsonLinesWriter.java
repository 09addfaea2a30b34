package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes {@link TextFormat} lines, each ended by {@code '\n'}, to an output stream:
 * the dump of journaled commands and the results of a run.
 *
 * <p>Each line is formatted into a reused builder and written as ASCII bytes from a
 * reused array with one {@code write} call, so writing allocates nothing once warm,
 * whatever the number of lines. Give it a buffered stream: it does not buffer
 * across lines. It does not own the stream: {@link #flush()} flushes it, closing is
 * the caller's. Not thread-safe.
 */
public final class JsonLinesWriter implements Flushable
{
    /** Longer than the longest line: a PLACE with 9 lines of 20-digit values. */
    private static final int INITIAL_CAPACITY = 1024;

    private final OutputStream output;
    private final StringBuilder text = new StringBuilder(INITIAL_CAPACITY);
    private byte[] bytes = new byte[INITIAL_CAPACITY];

    /**
     * @param output where the lines go; preferably buffered.
     */
    public JsonLinesWriter(final OutputStream output)
    {
        this.output = Objects.requireNonNull(output, "output");
    }

    /**
     * Writes a journaled command in its input form ({@link TextFormat#appendCommand}).
     *
     * @param eventTimeMs the command's journaled event time, written as {@code ts}.
     * @param command     a view wrapped over the journaled command.
     * @throws IOException if writing fails.
     */
    public void writeCommand(final long eventTimeMs, final CommandView command) throws IOException
    {
        text.setLength(0);
        TextFormat.appendCommand(text, eventTimeMs, command);
        writeLine();
    }

    /**
     * Writes a journaled command's result ({@link TextFormat#appendResult}).
     *
     * @param sequence     the command's journal sequence.
     * @param type         the command type.
     * @param entityId     the order id for order commands; ignored for RESTOCK and ADJUST.
     * @param rejectReason null when accepted, otherwise why it was rejected.
     * @throws IOException if writing fails.
     */
    public void writeResult(
        final long sequence, final CommandType type, final long entityId, final RejectReason rejectReason)
        throws IOException
    {
        text.setLength(0);
        TextFormat.appendResult(text, sequence, type, entityId, rejectReason);
        writeLine();
    }

    /** Flushes the output stream. */
    @Override
    public void flush() throws IOException
    {
        output.flush();
    }

    private void writeLine() throws IOException
    {
        final int length = text.length();
        if (bytes.length < length + 1)
        {
            bytes = new byte[Math.max(2 * bytes.length, length + 1)];
        }
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)text.charAt(i);
        }
        bytes[length] = '\n';
        output.write(bytes, 0, length + 1);
    }
}
