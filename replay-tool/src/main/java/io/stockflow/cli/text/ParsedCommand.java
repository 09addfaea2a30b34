package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;

/**
 * One command as read from a line of JSON Lines input: a reusable, mutable holder
 * that {@link JsonLinesCommandReader#next} fills in place, so reading allocates no
 * command object per line.
 *
 * <p>Fields the command's type does not have read as {@code 0}; {@link #ts()} reads
 * as {@code 0} when {@link #hasTs()} is false. Values are exactly as written on the
 * line, never checked against the business rules: {@code "qty":-5}, a PLACE with no
 * lines or with twenty lines are held faithfully and rejected {@code INVALID} by the
 * engine.
 *
 * <p>A PLACE keeps its true {@link #lineCount()} but stores only its first
 * {@link CommandCodec#MAX_ENCODED_LINES} lines, like the codec: with more than eight
 * lines its outcome is {@code INVALID} whatever the lines hold.
 *
 * <p>After a {@link CommandFormatException} the holder's content is unspecified.
 * Not thread-safe.
 */
public final class ParsedCommand implements CommandFields
{
    CommandType type;
    boolean hasTs;
    long ts;
    long sku;
    long qty;
    long delta;
    long order;
    long account;
    long ttlMs;
    int lineCount;
    int ruleFields;
    long retentionMs;
    long orderCapacity;
    long skuCapacity;
    final long[] lineSku = new long[CommandCodec.MAX_ENCODED_LINES];
    final long[] lineQty = new long[CommandCodec.MAX_ENCODED_LINES];
    final long[] linePrice = new long[CommandCodec.MAX_ENCODED_LINES];

    /** Forgets the previous command; the reader calls this before each line. */
    void clear()
    {
        type = null;
        hasTs = false;
        ts = 0;
        sku = 0;
        qty = 0;
        delta = 0;
        order = 0;
        account = 0;
        ttlMs = 0;
        lineCount = 0;
        ruleFields = 0;
        retentionMs = 0;
        orderCapacity = 0;
        skuCapacity = 0;
    }

    /** @return which parameters a RULES line gives ({@link CommandFields#RETENTION_MS_GIVEN} and the others). */
    @Override
    public int ruleFields()
    {
        return ruleFields;
    }

    /** @return RULES's retentionMs, 0 unless given. */
    @Override
    public long retentionMs()
    {
        return retentionMs;
    }

    /** @return RULES's orderCapacity, 0 unless given. */
    @Override
    public long orderCapacity()
    {
        return orderCapacity;
    }

    /** @return RULES's skuCapacity, 0 unless given. */
    @Override
    public long skuCapacity()
    {
        return skuCapacity;
    }

    /** @return the command type; null only before the first successful read. */
    @Override
    public CommandType type()
    {
        return type;
    }

    /** @return true if the line had a {@code ts}; if not, the engine clock stamps the command. */
    public boolean hasTs()
    {
        return hasTs;
    }

    /** @return the line's {@code ts} in epoch ms, or 0 when {@link #hasTs()} is false. */
    public long ts()
    {
        return ts;
    }

    /** @return RESTOCK's or ADJUST's SKU. */
    @Override
    public long sku()
    {
        return sku;
    }

    /** @return RESTOCK's quantity. */
    @Override
    public long qty()
    {
        return qty;
    }

    /** @return ADJUST's delta. */
    @Override
    public long delta()
    {
        return delta;
    }

    /** @return the order id of PLACE, CANCEL, SHIP, DELIVER or RETURN. */
    @Override
    public long order()
    {
        return order;
    }

    /** @return PLACE's account. */
    @Override
    public long account()
    {
        return account;
    }

    /** @return PLACE's time to live in ms, as sent (0 means the default). */
    @Override
    public long ttlMs()
    {
        return ttlMs;
    }

    /** @return PLACE's true number of lines, 0 or more; may exceed {@link #storedLineCount()}. */
    @Override
    public int lineCount()
    {
        return lineCount;
    }

    /** @return how many of PLACE's lines are held: {@code min(lineCount(), 9)}. */
    public int storedLineCount()
    {
        return Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES);
    }

    /**
     * @param lineIndex 0 to {@link #storedLineCount()} - 1.
     * @return that line's SKU.
     */
    @Override
    public long lineSku(final int lineIndex)
    {
        return lineSku[checkLineIndex(lineIndex)];
    }

    /**
     * @param lineIndex 0 to {@link #storedLineCount()} - 1.
     * @return that line's quantity.
     */
    @Override
    public long lineQty(final int lineIndex)
    {
        return lineQty[checkLineIndex(lineIndex)];
    }

    /**
     * @param lineIndex 0 to {@link #storedLineCount()} - 1.
     * @return that line's price in minor currency units.
     */
    @Override
    public long linePrice(final int lineIndex)
    {
        return linePrice[checkLineIndex(lineIndex)];
    }

    /**
     * Encodes this command with {@link CommandCodec}, the engine's one binary form; the
     * {@code ts} is not part of it (the journal stamps the event time).
     *
     * @param buffer target, with room for the encoded command (at most
     *               {@link CommandCodec#MAX_ENCODED_LENGTH} bytes).
     * @param offset where the payload starts.
     * @return the encoded length.
     * @throws IllegalStateException     if no command has been read into this holder.
     * @throws IndexOutOfBoundsException if the buffer is too small; nothing is written then.
     */
    public int encode(final byte[] buffer, final int offset)
    {
        if (type == null)
        {
            throw new IllegalStateException("no command has been read into this holder");
        }
        return CommandCodec.encode(this, buffer, offset);
    }

    /** Diagnostic text; allocates, not for hot paths. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(64).append("ParsedCommand{type=").append(type);
        if (hasTs)
        {
            text.append(", ts=").append(ts);
        }
        text.append(", sku=").append(sku).append(", qty=").append(qty).append(", delta=").append(delta)
            .append(", order=").append(order).append(", account=").append(account)
            .append(", ttlMs=").append(ttlMs).append(", lineCount=").append(lineCount);
        for (int i = 0; i < storedLineCount(); i++)
        {
            text.append(", [sku=").append(lineSku[i]).append(", qty=").append(lineQty[i])
                .append(", price=").append(linePrice[i]).append(']');
        }
        return text.append('}').toString();
    }

    private int checkLineIndex(final int lineIndex)
    {
        if (lineIndex < 0 || lineIndex >= storedLineCount())
        {
            throw new IndexOutOfBoundsException(
                "lineIndex=" + lineIndex + " storedLineCount=" + storedLineCount());
        }
        return lineIndex;
    }
}
