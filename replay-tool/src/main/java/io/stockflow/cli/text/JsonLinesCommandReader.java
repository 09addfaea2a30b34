package io.stockflow.cli.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads commands from JSON Lines input (docs/DOMAIN.md "Text form"), one per line, into a
 * reused {@link ParsedCommand}, and refuses the input at the first line that is not
 * a command with a {@link CommandFormatException} naming the line and the reason.
 *
 * <p><b>Lines.</b> Bytes are split on {@code '\n'}; one {@code '\r'} before it is
 * dropped, and a last line without a newline is read like any other. A line is
 * UTF-8; a byte-order mark is accepted only at the very start of the input. Blank
 * lines (nothing but spaces and tabs) are allowed and skipped, but counted, so line
 * numbers match an editor's. Any other control character, a lone {@code '\r'}
 * included, is a format error.
 *
 * <p><b>Line length.</b> A line longer than {@link #DEFAULT_MAX_LINE_BYTES} (or the
 * limit given), not counting its terminator, is refused as soon as the limit is
 * passed, without reading the rest of it: memory stays bounded by the limit whatever
 * the input holds, even a line with no end.
 *
 * <p><b>Strictness beyond docs/DOMAIN.md.</b> An unknown field and a field that occurs
 * twice are format errors, and so is a field that the line's type does not have
 * (a {@code "sku"} on a CANCEL): a misspelt optional field such as {@code "tss"}
 * would otherwise be silently dropped and the command run with another meaning.
 * {@code type} is case-sensitive. {@code lines} must be an array of objects with
 * exactly {@code sku}, {@code qty} and {@code price}. Numbers must be JSON integers
 * within {@code long} range: {@code 1.0}, {@code 1e3} and {@code "5"} are refused.
 * After the object only spaces and tabs may follow on the line.
 *
 * <p><b>Not format errors.</b> Values outside the business rules ({@code "qty":-5},
 * {@code "sku":0}, a PLACE with 0 or 20 lines): such a command is returned as read,
 * to be journaled and rejected {@code INVALID}. Every one of 20 lines is still
 * checked for format, though only the first 9 are held.
 *
 * <p><b>After a format error</b> the reader stays failed: nothing from that line on
 * is a command, and every further {@link #next} throws the same exception.
 *
 * <p>Once warm, a line costs no buffer allocation: the line buffer grows only up to
 * the limit and is reused. The JSON parser is set up per line, about 0.7 KB of
 * short-lived objects (Jackson has no way to reset a parser onto new bytes). Not
 * thread-safe.
 */
public final class JsonLinesCommandReader implements Closeable
{
    /** The default line limit, 1 MiB: far above any real command, far below a heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    /** The highest line limit accepted, so that the line buffer fits a Java array. */
    public static final int MAX_MAX_LINE_BYTES = Integer.MAX_VALUE - 16;

    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int INITIAL_LINE_BYTES = 4096;

    private final InputStream input;
    private final int maxLineBytes;
    private final JsonLineParser parser;
    private final byte[] chunk = new byte[READ_CHUNK_BYTES];
    private int chunkPosition;
    private int chunkLimit;
    private byte[] line;
    private int lineLength;
    private long lineNumber;
    private boolean endOfInput;
    private CommandFormatException failure;

    /**
     * A reader with the {@link #DEFAULT_MAX_LINE_BYTES default line limit}.
     *
     * @param input the JSON Lines bytes; read in chunks, so need not be buffered;
     *              closed by {@link #close()}.
     */
    public JsonLinesCommandReader(final InputStream input)
    {
        this(input, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * @param input        the JSON Lines bytes; read in chunks, so need not be buffered;
     *                     closed by {@link #close()}.
     * @param maxLineBytes the longest line accepted, terminator not counted, 1 to
     *                     {@link #MAX_MAX_LINE_BYTES}.
     * @throws IllegalArgumentException if {@code maxLineBytes} is out of range.
     */
    public JsonLinesCommandReader(final InputStream input, final int maxLineBytes)
    {
        if (maxLineBytes < 1 || maxLineBytes > MAX_MAX_LINE_BYTES)
        {
            throw new IllegalArgumentException(
                "maxLineBytes=" + maxLineBytes + " must be in 1.." + MAX_MAX_LINE_BYTES);
        }
        this.input = Objects.requireNonNull(input, "input");
        this.maxLineBytes = maxLineBytes;
        this.parser = new JsonLineParser(maxLineBytes);
        this.line = new byte[Math.min(INITIAL_LINE_BYTES, maxLineBytes + 1)];
    }

    /**
     * Reads the next command, skipping blank lines.
     *
     * @param into filled with the command; its content is unspecified after an exception.
     * @return true if a command was read, false at the end of the input.
     * @throws CommandFormatException if the next non-blank line is not a command; the
     *                                reader then stays failed.
     * @throws IOException            if reading the input fails.
     */
    public boolean next(final ParsedCommand into) throws CommandFormatException, IOException
    {
        Objects.requireNonNull(into, "into");
        if (failure != null)
        {
            throw failure;
        }
        try
        {
            while (readLine())
            {
                final int offset = lineNumber == 1 && startsWithByteOrderMark() ? 3 : 0;
                if (!LineBytes.isBlank(line, offset, lineLength - offset))
                {
                    parser.parse(line, offset, lineLength - offset, lineNumber, into);
                    return true;
                }
            }
            return false;
        }
        catch (final CommandFormatException ex)
        {
            failure = ex;
            throw ex;
        }
    }

    /**
     * @return the number of the last line read (blank lines count), 0 before the first;
     *         after a format error, the refused line's number.
     */
    public long lineNumber()
    {
        return lineNumber;
    }

    /** @return the longest line accepted, in bytes, terminator not counted. */
    public int maxLineBytes()
    {
        return maxLineBytes;
    }

    /** Closes the input stream. */
    @Override
    public void close() throws IOException
    {
        input.close();
    }

    /**
     * Reads the next line into {@link #line}, terminator removed.
     *
     * @return false at the end of the input.
     */
    private boolean readLine() throws IOException, CommandFormatException
    {
        if (endOfInput)
        {
            return false;
        }
        lineLength = 0;
        boolean anyByte = false;
        while (true)
        {
            if (chunkPosition == chunkLimit)
            {
                final int read = input.read(chunk, 0, chunk.length);
                if (read < 0)
                {
                    endOfInput = true;
                    if (!anyByte)
                    {
                        return false;
                    }
                    return endLine();
                }
                chunkPosition = 0;
                chunkLimit = read;
                continue;
            }
            anyByte = true;
            final int start = chunkPosition;
            int newline = start;
            while (newline < chunkLimit && chunk[newline] != '\n')
            {
                newline++;
            }
            append(start, newline - start);
            if (newline < chunkLimit)
            {
                chunkPosition = newline + 1;
                return endLine();
            }
            chunkPosition = chunkLimit;
        }
    }

    private boolean endLine() throws CommandFormatException
    {
        lineNumber++;
        if (lineLength > 0 && line[lineLength - 1] == '\r')
        {
            lineLength--;
        }
        if (lineLength > maxLineBytes)
        {
            throw tooLong();
        }
        return true;
    }

    /**
     * Appends to the line buffer, which holds at most {@code maxLineBytes + 1} bytes:
     * room for a full-length line and its {@code '\r'}; anything beyond is refused here,
     * before the rest of the line is read.
     */
    private void append(final int from, final int length) throws CommandFormatException
    {
        if ((long)lineLength + length > maxLineBytes + 1L)
        {
            lineNumber++;
            throw tooLong();
        }
        final int needed = lineLength + length;
        if (needed > line.length)
        {
            final byte[] grown = new byte[(int)Math.min(Math.max(2L * line.length, needed), maxLineBytes + 1L)];
            System.arraycopy(line, 0, grown, 0, lineLength);
            line = grown;
        }
        System.arraycopy(chunk, from, line, lineLength, length);
        lineLength = needed;
    }

    private CommandFormatException tooLong()
    {
        return new CommandFormatException(lineNumber, "line longer than " + maxLineBytes + " bytes");
    }

    private boolean startsWithByteOrderMark()
    {
        return lineLength >= 3 && line[0] == (byte)0xEF && line[1] == (byte)0xBB && line[2] == (byte)0xBF;
    }
}
