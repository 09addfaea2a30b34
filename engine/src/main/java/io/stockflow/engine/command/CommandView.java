package io.stockflow.engine.command;

import java.util.Objects;

import static io.stockflow.engine.command.CommandDescriptor.ACCOUNT_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.DELTA_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.HEADER_LENGTH;
import static io.stockflow.engine.command.CommandDescriptor.LINES_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.LINE_COUNT_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.LINE_PRICE_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.LINE_QTY_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.LINE_SKU_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.ORDER_COMMAND_LENGTH;
import static io.stockflow.engine.command.CommandDescriptor.ORDER_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.QTY_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.SKU_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.STOCK_COMMAND_LENGTH;
import static io.stockflow.engine.command.CommandDescriptor.TTL_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.TYPE_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.VERSION_OFFSET;

/**
 * A reusable, allocation-free reader over one encoded command
 * ({@link CommandDescriptor}): wrap it over a ring slot or a journal payload, then
 * read the typed fields. Fields are read from the buffer on each call, so the view
 * is only as stable as the bytes under it.
 *
 * <p>{@link #wrap} validates the header and the length for the type once; a
 * payload that fails is a {@link MalformedCommandException} (journal corruption or
 * a writer bug, never user input). A getter for a field the wrapped type does not
 * have is an {@link IllegalStateException}: a caller bug.
 *
 * <p>Not thread-safe: one view per reading thread.
 */
public final class CommandView implements CommandFields
{
    private byte[] buffer;
    private int offset;
    private int length;
    private CommandType type;

    /**
     * Points this view at an encoded command and validates its framing.
     *
     * @param buffer holds the payload.
     * @param offset where the payload starts.
     * @param length the payload's length as framed by its container (ring slot or journal record).
     * @return this view.
     * @throws IndexOutOfBoundsException if the range is outside {@code buffer}.
     * @throws MalformedCommandException if the payload does not follow {@link CommandDescriptor}.
     */
    public CommandView wrap(final byte[] buffer, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        this.type = null;
        if (length < HEADER_LENGTH)
        {
            throw new MalformedCommandException("payload length=" + length + " shorter than its header");
        }
        final int code = buffer[offset + TYPE_OFFSET] & 0xFF;
        if (!CommandType.isValidCode(code))
        {
            throw new MalformedCommandException("unknown command type code=" + code);
        }
        final int version = buffer[offset + VERSION_OFFSET] & 0xFF;
        if (version != CommandCodec.SCHEMA_VERSION)
        {
            throw new MalformedCommandException(
                "unsupported schema version=" + version + " expected=" + CommandCodec.SCHEMA_VERSION);
        }
        final CommandType decoded = CommandType.fromCode(code);
        final int expected = expectedLength(buffer, offset, length, decoded);
        if (length != expected)
        {
            throw new MalformedCommandException(
                "payload length=" + length + " for type=" + decoded + " expected=" + expected);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.type = decoded;
        return this;
    }

    /** @return the command type. */
    @Override
    public CommandType type()
    {
        if (type == null)
        {
            throw new IllegalStateException("view is not wrapped over a valid command");
        }
        return type;
    }

    /** @return the buffer this view is wrapped over. */
    public byte[] buffer()
    {
        return buffer;
    }

    /** @return the offset of the payload in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** @return the payload's encoded length. */
    public int length()
    {
        return length;
    }

    /** @return RESTOCK's or ADJUST's SKU. */
    @Override
    public long sku()
    {
        if (type != CommandType.RESTOCK && type != CommandType.ADJUST)
        {
            throw noSuchField("sku");
        }
        return ByteArrayAccess.getLong(buffer, offset + SKU_OFFSET);
    }

    /** @return RESTOCK's quantity. */
    @Override
    public long qty()
    {
        requireType(CommandType.RESTOCK, "qty");
        return ByteArrayAccess.getLong(buffer, offset + QTY_OFFSET);
    }

    /** @return ADJUST's delta. */
    @Override
    public long delta()
    {
        requireType(CommandType.ADJUST, "delta");
        return ByteArrayAccess.getLong(buffer, offset + DELTA_OFFSET);
    }

    /** @return the order id of PLACE, CANCEL, SHIP, DELIVER or RETURN. */
    @Override
    public long order()
    {
        if (type != CommandType.PLACE && (type == null || !type.isOrderCommand()))
        {
            throw noSuchField("order");
        }
        return ByteArrayAccess.getLong(buffer, offset + ORDER_OFFSET);
    }

    /** @return PLACE's account. */
    @Override
    public long account()
    {
        requireType(CommandType.PLACE, "account");
        return ByteArrayAccess.getLong(buffer, offset + ACCOUNT_OFFSET);
    }

    /** @return PLACE's time to live in milliseconds, as sent (0 means the default). */
    @Override
    public long ttlMs()
    {
        requireType(CommandType.PLACE, "ttlMs");
        return ByteArrayAccess.getLong(buffer, offset + TTL_OFFSET);
    }

    /** @return PLACE's true line count, &gt;= 0; may exceed {@link #encodedLineCount()}. */
    @Override
    public int lineCount()
    {
        requireType(CommandType.PLACE, "lineCount");
        return ByteArrayAccess.getInt(buffer, offset + LINE_COUNT_OFFSET);
    }

    /** @return how many of PLACE's lines are stored: {@code min(lineCount(), 9)}. */
    public int encodedLineCount()
    {
        return CommandDescriptor.encodedLineCount(lineCount());
    }

    /**
     * @param lineIndex 0 to {@link #encodedLineCount()} - 1.
     * @return that line's SKU.
     */
    @Override
    public long lineSku(final int lineIndex)
    {
        return ByteArrayAccess.getLong(buffer, lineOffset(lineIndex) + LINE_SKU_OFFSET);
    }

    /**
     * @param lineIndex 0 to {@link #encodedLineCount()} - 1.
     * @return that line's quantity.
     */
    @Override
    public long lineQty(final int lineIndex)
    {
        return ByteArrayAccess.getLong(buffer, lineOffset(lineIndex) + LINE_QTY_OFFSET);
    }

    /**
     * @param lineIndex 0 to {@link #encodedLineCount()} - 1.
     * @return that line's price in minor currency units.
     */
    @Override
    public long linePrice(final int lineIndex)
    {
        return ByteArrayAccess.getLong(buffer, lineOffset(lineIndex) + LINE_PRICE_OFFSET);
    }

    /** @return RULES's mask of the parameters given ({@link CommandFields#RETENTION_MS_GIVEN} and the others). */
    @Override
    public int ruleFields()
    {
        requireType(CommandType.RULES, "ruleFields");
        return buffer[offset + CommandDescriptor.RULES_GIVEN_OFFSET] & ALL_RULE_FIELDS;
    }

    /** @return RULES's retention, 0 unless given. */
    @Override
    public long retentionMs()
    {
        requireType(CommandType.RULES, "retentionMs");
        return ByteArrayAccess.getLong(buffer, offset + CommandDescriptor.RULES_RETENTION_OFFSET);
    }

    /** @return RULES's order capacity, 0 unless given. */
    @Override
    public long orderCapacity()
    {
        requireType(CommandType.RULES, "orderCapacity");
        return ByteArrayAccess.getLong(buffer, offset + CommandDescriptor.RULES_ORDER_CAPACITY_OFFSET);
    }

    /** @return RULES's SKU capacity, 0 unless given. */
    @Override
    public long skuCapacity()
    {
        requireType(CommandType.RULES, "skuCapacity");
        return ByteArrayAccess.getLong(buffer, offset + CommandDescriptor.RULES_SKU_CAPACITY_OFFSET);
    }

    /** Diagnostic text of the wrapped command; allocates, not for hot paths. */
    @Override
    public String toString()
    {
        if (type == null)
        {
            return "CommandView{unwrapped}";
        }
        final StringBuilder text = new StringBuilder(64).append(type).append('{');
        switch (type)
        {
            case RESTOCK:
                text.append("sku=").append(sku()).append(", qty=").append(qty());
                break;
            case ADJUST:
                text.append("sku=").append(sku()).append(", delta=").append(delta());
                break;
            case PLACE:
                text.append("order=").append(order()).append(", account=").append(account())
                    .append(", ttlMs=").append(ttlMs()).append(", lineCount=").append(lineCount());
                for (int i = 0; i < encodedLineCount(); i++)
                {
                    text.append(", [sku=").append(lineSku(i)).append(", qty=").append(lineQty(i))
                        .append(", price=").append(linePrice(i)).append(']');
                }
                break;
            case RULES:
                text.append("given=").append(ruleFields()).append(", retentionMs=").append(retentionMs())
                    .append(", orderCapacity=").append(orderCapacity()).append(", skuCapacity=").append(skuCapacity());
                break;
            default:
                text.append("order=").append(order());
                break;
        }
        return text.append('}').toString();
    }

    private int lineOffset(final int lineIndex)
    {
        return offset + CommandDescriptor.lineOffset(Objects.checkIndex(lineIndex, encodedLineCount()));
    }

    private void requireType(final CommandType expected, final String field)
    {
        if (type != expected)
        {
            throw noSuchField(field);
        }
    }

    private IllegalStateException noSuchField(final String field)
    {
        return new IllegalStateException("type=" + type + " has no field " + field);
    }

    private static int expectedLength(
        final byte[] buffer, final int offset, final int length, final CommandType type)
    {
        switch (type)
        {
            case RESTOCK:
            case ADJUST:
                return STOCK_COMMAND_LENGTH;
            case PLACE:
                if (length < LINES_OFFSET)
                {
                    return LINES_OFFSET;
                }
                final int lineCount = ByteArrayAccess.getInt(buffer, offset + LINE_COUNT_OFFSET);
                if (lineCount < 0)
                {
                    throw new MalformedCommandException("PLACE lineCount=" + lineCount + " is negative");
                }
                return CommandDescriptor.placeLength(lineCount);
            case RULES:
                return CommandDescriptor.RULES_COMMAND_LENGTH;
            default:
                return ORDER_COMMAND_LENGTH;
        }
    }
}
