package io.stockflow.engine.command;

import java.util.Objects;

import static io.stockflow.engine.command.CommandDescriptor.ACCOUNT_OFFSET;
import static io.stockflow.engine.command.CommandDescriptor.DELTA_OFFSET;
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
 * The one binary codec of commands, used for the ring slots and the journal
 * payloads alike, so a payload is copied from slot to journal and read back by
 * replay without translation. The layout is {@link CommandDescriptor}.
 *
 * <p>Every method is static, non-capturing and allocation-free: the publisher
 * encodes straight into a preallocated slot of {@link #MAX_ENCODED_LENGTH} bytes.
 * Each encode method checks the whole target range first, so an encode either
 * writes the complete command or throws {@link IndexOutOfBoundsException} having
 * written nothing. Field values are not checked against the business rules: any
 * {@code long} is encoded as given, because an out-of-rule command must be
 * journaled and then rejected {@code INVALID} by the rules.
 *
 * <p>A PLACE is encoded in two steps, without a lines array to allocate:
 * {@link #encodePlaceHeader} (which returns the complete length) and then
 * {@link #encodePlaceLine} once per line.
 */
public final class CommandCodec
{
    /** The schema version written into every payload; readers refuse any other. */
    public static final int SCHEMA_VERSION = 1;

    /** The longest encoded command; the size of a ring slot's buffer. */
    public static final int MAX_ENCODED_LENGTH = CommandDescriptor.MAX_LENGTH;

    /**
     * The most PLACE lines stored. A PLACE with more lines keeps its true line count
     * but only its first {@value} lines: its outcome is {@code INVALID} whatever the
     * lines hold (the rules allow at most 8).
     */
    public static final int MAX_ENCODED_LINES = CommandDescriptor.MAX_ENCODED_LINES;

    private CommandCodec()
    {
    }

    /**
     * @param buffer target.
     * @param offset where the payload starts.
     * @param sku    any value.
     * @param qty    any value.
     * @return the encoded length.
     */
    public static int encodeRestock(final byte[] buffer, final int offset, final long sku, final long qty)
    {
        return encodeStockCommand(buffer, offset, CommandType.RESTOCK, sku, qty);
    }

    /**
     * @param buffer target.
     * @param offset where the payload starts.
     * @param sku    any value.
     * @param delta  any value.
     * @return the encoded length.
     */
    public static int encodeAdjust(final byte[] buffer, final int offset, final long sku, final long delta)
    {
        return encodeStockCommand(buffer, offset, CommandType.ADJUST, sku, delta);
    }

    /**
     * Encodes a CANCEL, SHIP, DELIVER or RETURN.
     *
     * @param buffer target.
     * @param offset where the payload starts.
     * @param type   one of CANCEL, SHIP, DELIVER, RETURN.
     * @param order  any value.
     * @return the encoded length.
     * @throws IllegalArgumentException if {@code type} is not an order command.
     */
    public static int encodeOrderCommand(
        final byte[] buffer, final int offset, final CommandType type, final long order)
    {
        if (!type.isOrderCommand())
        {
            throw new IllegalArgumentException("not an order command: type=" + type);
        }
        Objects.checkFromIndexSize(offset, ORDER_COMMAND_LENGTH, buffer.length);
        putHeader(buffer, offset, type);
        ByteArrayAccess.putLong(buffer, offset + ORDER_OFFSET, order);
        return ORDER_COMMAND_LENGTH;
    }

    /**
     * Encodes a RULES command.
     *
     * @param buffer        target.
     * @param offset        where the payload starts.
     * @param given         which parameters it gives ({@link CommandFields#ruleFields()}); other bits are dropped.
     * @param retentionMs   any value; stored as 0 unless given.
     * @param orderCapacity any value; stored as 0 unless given.
     * @param skuCapacity   any value; stored as 0 unless given.
     * @return the encoded length.
     */
    public static int encodeRules(
        final byte[] buffer,
        final int offset,
        final int given,
        final long retentionMs,
        final long orderCapacity,
        final long skuCapacity)
    {
        Objects.checkFromIndexSize(offset, CommandDescriptor.RULES_COMMAND_LENGTH, buffer.length);
        putHeader(buffer, offset, CommandType.RULES);
        final int mask = given & CommandFields.ALL_RULE_FIELDS;
        buffer[offset + CommandDescriptor.RULES_GIVEN_OFFSET] = (byte)mask;
        ByteArrayAccess.putLong(buffer, offset + CommandDescriptor.RULES_RETENTION_OFFSET,
            (mask & CommandFields.RETENTION_MS_GIVEN) != 0 ? retentionMs : 0);
        ByteArrayAccess.putLong(buffer, offset + CommandDescriptor.RULES_ORDER_CAPACITY_OFFSET,
            (mask & CommandFields.ORDER_CAPACITY_GIVEN) != 0 ? orderCapacity : 0);
        ByteArrayAccess.putLong(buffer, offset + CommandDescriptor.RULES_SKU_CAPACITY_OFFSET,
            (mask & CommandFields.SKU_CAPACITY_GIVEN) != 0 ? skuCapacity : 0);
        return CommandDescriptor.RULES_COMMAND_LENGTH;
    }

    /**
     * Encodes the fixed part of a PLACE; follow with {@link #encodePlaceLine} for
     * each line {@code 0 <= i < lineCount}.
     *
     * @param buffer    target, with room for {@link #placeLength(int) placeLength(lineCount)} bytes.
     * @param offset    where the payload starts.
     * @param order     any value.
     * @param account   any value.
     * @param ttlMs     any value.
     * @param lineCount the command's true number of lines, &gt;= 0 (0 or more than 8 is
     *                  encoded faithfully and rejected by the rules).
     * @return the complete encoded length of this PLACE, lines included.
     * @throws IllegalArgumentException if {@code lineCount < 0}.
     */
    public static int encodePlaceHeader(
        final byte[] buffer,
        final int offset,
        final long order,
        final long account,
        final long ttlMs,
        final int lineCount)
    {
        if (lineCount < 0)
        {
            throw new IllegalArgumentException("lineCount=" + lineCount + " must be >= 0");
        }
        final int length = placeLength(lineCount);
        Objects.checkFromIndexSize(offset, length, buffer.length);
        putHeader(buffer, offset, CommandType.PLACE);
        ByteArrayAccess.putLong(buffer, offset + ORDER_OFFSET, order);
        ByteArrayAccess.putLong(buffer, offset + ACCOUNT_OFFSET, account);
        ByteArrayAccess.putLong(buffer, offset + TTL_OFFSET, ttlMs);
        ByteArrayAccess.putInt(buffer, offset + LINE_COUNT_OFFSET, lineCount);
        return length;
    }

    /**
     * Encodes one line of a PLACE whose header is already at {@code offset}. Lines
     * at index {@value #MAX_ENCODED_LINES} and beyond are not stored (see
     * {@link #MAX_ENCODED_LINES}); calling for them is allowed and writes nothing,
     * so a caller can simply loop over all its lines.
     *
     * @param buffer    the buffer holding the PLACE header.
     * @param offset    where the PLACE payload starts (the header's offset, not the line's).
     * @param lineIndex 0 to the header's line count - 1.
     * @param sku       any value.
     * @param qty       any value.
     * @param price     any value.
     * @throws IllegalStateException     if no PLACE header is at {@code offset}.
     * @throws IndexOutOfBoundsException if {@code lineIndex} is outside the header's line count.
     */
    public static void encodePlaceLine(
        final byte[] buffer,
        final int offset,
        final int lineIndex,
        final long sku,
        final long qty,
        final long price)
    {
        Objects.checkFromIndexSize(offset, CommandDescriptor.LINES_OFFSET, buffer.length);
        if (buffer[offset + TYPE_OFFSET] != CommandType.PLACE.code())
        {
            throw new IllegalStateException("no PLACE header at offset=" + offset);
        }
        Objects.checkIndex(lineIndex, ByteArrayAccess.getInt(buffer, offset + LINE_COUNT_OFFSET));
        if (lineIndex >= MAX_ENCODED_LINES)
        {
            return;
        }
        final int lineOffset = offset + CommandDescriptor.lineOffset(lineIndex);
        Objects.checkFromIndexSize(lineOffset, CommandDescriptor.LINE_LENGTH, buffer.length);
        ByteArrayAccess.putLong(buffer, lineOffset + LINE_SKU_OFFSET, sku);
        ByteArrayAccess.putLong(buffer, lineOffset + LINE_QTY_OFFSET, qty);
        ByteArrayAccess.putLong(buffer, lineOffset + LINE_PRICE_OFFSET, price);
    }

    /**
     * @param lineCount a PLACE's true line count, &gt;= 0.
     * @return its encoded length: {@code 30 + 24 * min(lineCount, 9)}.
     */
    public static int placeLength(final int lineCount)
    {
        if (lineCount < 0)
        {
            throw new IllegalArgumentException("lineCount=" + lineCount + " must be >= 0");
        }
        return CommandDescriptor.placeLength(lineCount);
    }

    /**
     * Encodes any command from its fields.
     *
     * @param command the fields.
     * @param buffer  target, with room for {@link #MAX_ENCODED_LENGTH} bytes from {@code offset}.
     * @param offset  where the payload starts.
     * @return the encoded length.
     */
    public static int encode(final CommandFields command, final byte[] buffer, final int offset)
    {
        final CommandType type = command.type();
        switch (type)
        {
            case RESTOCK:
                return encodeRestock(buffer, offset, command.sku(), command.qty());
            case ADJUST:
                return encodeAdjust(buffer, offset, command.sku(), command.delta());
            case PLACE:
                final int lineCount = command.lineCount();
                final int length = encodePlaceHeader(
                    buffer, offset, command.order(), command.account(), command.ttlMs(), lineCount);
                final int stored = Math.min(lineCount, MAX_ENCODED_LINES);
                for (int i = 0; i < stored; i++)
                {
                    encodePlaceLine(buffer, offset, i, command.lineSku(i), command.lineQty(i), command.linePrice(i));
                }
                return length;
            case RULES:
                return encodeRules(buffer, offset, command.ruleFields(), command.retentionMs(), command.orderCapacity(),
                    command.skuCapacity());
            default:
                return encodeOrderCommand(buffer, offset, type, command.order());
        }
    }

    /**
     * Reads the type code of an encoded command without validating the rest.
     *
     * @param buffer holds the payload.
     * @param offset where it starts.
     * @return the type.
     * @throws MalformedCommandException if the code is unknown.
     */
    public static CommandType typeOf(final byte[] buffer, final int offset)
    {
        final int code = buffer[offset + TYPE_OFFSET] & 0xFF;
        if (!CommandType.isValidCode(code))
        {
            throw new MalformedCommandException("unknown command type code=" + code + " at offset=" + offset);
        }
        return CommandType.fromCode(code);
    }

    /**
     * The order id of an encoded PLACE, CANCEL, SHIP, DELIVER or RETURN, read without
     * validating anything else, for reading ahead ({@code FulfillmentRules.prefetchOrders}):
     * a hint that never throws, not a decoding.
     *
     * @param buffer holds the payload.
     * @param offset where it starts.
     * @param length the payload's length.
     * @return the order id, or 0 if the payload is too short or of another type.
     */
    public static long orderIdHint(final byte[] buffer, final int offset, final int length)
    {
        if (length < ORDER_COMMAND_LENGTH || offset < 0 || offset + ORDER_COMMAND_LENGTH > buffer.length)
        {
            return 0;
        }
        final int code = buffer[offset + TYPE_OFFSET] & 0xFF;
        if (code != CommandType.PLACE.code() && (code < CommandType.CANCEL.code() || code > CommandType.RETURN.code()))
        {
            return 0;
        }
        return ByteArrayAccess.getLong(buffer, offset + ORDER_OFFSET);
    }

    private static int encodeStockCommand(
        final byte[] buffer, final int offset, final CommandType type, final long sku, final long amount)
    {
        Objects.checkFromIndexSize(offset, STOCK_COMMAND_LENGTH, buffer.length);
        putHeader(buffer, offset, type);
        ByteArrayAccess.putLong(buffer, offset + SKU_OFFSET, sku);
        ByteArrayAccess.putLong(buffer, offset + (type == CommandType.RESTOCK ? QTY_OFFSET : DELTA_OFFSET), amount);
        return STOCK_COMMAND_LENGTH;
    }

    private static void putHeader(final byte[] buffer, final int offset, final CommandType type)
    {
        buffer[offset + TYPE_OFFSET] = (byte)type.code();
        buffer[offset + VERSION_OFFSET] = (byte)SCHEMA_VERSION;
    }
}
