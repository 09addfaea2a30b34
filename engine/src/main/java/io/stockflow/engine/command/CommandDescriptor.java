package io.stockflow.engine.command;

/**
 * The binary layout of an encoded command, schema version
 * {@value CommandCodec#SCHEMA_VERSION}: the one place that defines offsets and
 * lengths, shared by {@link CommandCodec} (writer) and {@link CommandView} (reader).
 *
 * <p>All multi-byte fields are little-endian and unaligned. Every payload starts
 * with a two-byte header, so a payload is self-describing even outside a journal
 * record (ring slots, dumps of raw payloads, tests):
 *
 * <pre>
 *  offset  size  field
 *  0       1     type code ({@link CommandType#code()})
 *  1       1     schema version ({@link CommandCodec#SCHEMA_VERSION})
 *
 *  RESTOCK, ADJUST                        18 bytes
 *  2       8     sku
 *  10      8     qty (RESTOCK) or delta (ADJUST)
 *
 *  CANCEL, SHIP, DELIVER, RETURN          10 bytes
 *  2       8     order
 *
 *  RULES                                  27 bytes
 *  2       1     given: bit 0 retentionMs, bit 1 orderCapacity, bit 2 skuCapacity
 *                (a parameter not given is stored as 0 and ignored)
 *  3       8     retentionMs
 *  11      8     orderCapacity
 *  19      8     skuCapacity
 *
 *  PLACE                                  30 + 24 * min(lineCount, 9) bytes
 *  2       8     order
 *  10      8     account
 *  18      8     ttlMs
 *  26      4     lineCount: the true number of lines of the command, &gt;= 0
 *  30      24*n  the first n = min(lineCount, {@value #MAX_ENCODED_LINES}) lines, each:
 *                +0 sku (8), +8 qty (8), +16 price (8)
 * </pre>
 *
 * <p>Why PLACE stores at most {@value #MAX_ENCODED_LINES} lines: the rules allow 1
 * to 8 lines, and a PLACE with more is still a well-formed command that must be
 * journaled and rejected {@code INVALID}. Its outcome depends only on its line
 * count, so the true count is kept while the lines past the ninth are dropped;
 * this bounds every payload by {@link #MAX_LENGTH}, which is what lets a ring slot
 * be a fixed preallocated array. Keeping nine rather than eight means a dump of
 * such a command still shows more lines than the rules allow.
 */
public final class CommandDescriptor
{
    /** Offset of the one-byte type code. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the one-byte schema version. */
    public static final int VERSION_OFFSET = 1;
    /** Length of the header every payload starts with. */
    public static final int HEADER_LENGTH = 2;

    /** RESTOCK and ADJUST: offset of the SKU. */
    public static final int SKU_OFFSET = HEADER_LENGTH;
    /** RESTOCK: offset of the quantity. */
    public static final int QTY_OFFSET = SKU_OFFSET + Long.BYTES;
    /** ADJUST: offset of the delta (same slot as RESTOCK's quantity). */
    public static final int DELTA_OFFSET = QTY_OFFSET;
    /** Encoded length of RESTOCK and ADJUST. */
    public static final int STOCK_COMMAND_LENGTH = QTY_OFFSET + Long.BYTES;

    /** CANCEL, SHIP, DELIVER, RETURN and PLACE: offset of the order id. */
    public static final int ORDER_OFFSET = HEADER_LENGTH;
    /** Encoded length of CANCEL, SHIP, DELIVER and RETURN. */
    public static final int ORDER_COMMAND_LENGTH = ORDER_OFFSET + Long.BYTES;

    /** RULES: offset of the one-byte mask of the parameters given. */
    public static final int RULES_GIVEN_OFFSET = HEADER_LENGTH;
    /** RULES: offset of the retention. */
    public static final int RULES_RETENTION_OFFSET = RULES_GIVEN_OFFSET + 1;
    /** RULES: offset of the order capacity. */
    public static final int RULES_ORDER_CAPACITY_OFFSET = RULES_RETENTION_OFFSET + Long.BYTES;
    /** RULES: offset of the SKU capacity. */
    public static final int RULES_SKU_CAPACITY_OFFSET = RULES_ORDER_CAPACITY_OFFSET + Long.BYTES;
    /** Encoded length of RULES. */
    public static final int RULES_COMMAND_LENGTH = RULES_SKU_CAPACITY_OFFSET + Long.BYTES;

    /** PLACE: offset of the account. */
    public static final int ACCOUNT_OFFSET = ORDER_OFFSET + Long.BYTES;
    /** PLACE: offset of the time to live in milliseconds. */
    public static final int TTL_OFFSET = ACCOUNT_OFFSET + Long.BYTES;
    /** PLACE: offset of the true line count (int). */
    public static final int LINE_COUNT_OFFSET = TTL_OFFSET + Long.BYTES;
    /** PLACE: offset of the first line. */
    public static final int LINES_OFFSET = LINE_COUNT_OFFSET + Integer.BYTES;
    /** PLACE: length of one line. */
    public static final int LINE_LENGTH = 3 * Long.BYTES;
    /** Within a line: offset of the SKU. */
    public static final int LINE_SKU_OFFSET = 0;
    /** Within a line: offset of the quantity. */
    public static final int LINE_QTY_OFFSET = Long.BYTES;
    /** Within a line: offset of the price. */
    public static final int LINE_PRICE_OFFSET = 2 * Long.BYTES;
    /** PLACE: the most lines stored; see the class comment. */
    public static final int MAX_ENCODED_LINES = 9;

    /** The longest encoded command: a PLACE with {@link #MAX_ENCODED_LINES} lines. */
    public static final int MAX_LENGTH = LINES_OFFSET + MAX_ENCODED_LINES * LINE_LENGTH;

    private CommandDescriptor()
    {
    }

    /**
     * @param lineCount a PLACE's true line count, &gt;= 0.
     * @return how many of its lines are stored.
     */
    public static int encodedLineCount(final int lineCount)
    {
        return Math.min(lineCount, MAX_ENCODED_LINES);
    }

    /**
     * @param lineCount a PLACE's true line count, &gt;= 0.
     * @return the encoded length of that PLACE.
     */
    public static int placeLength(final int lineCount)
    {
        return LINES_OFFSET + encodedLineCount(lineCount) * LINE_LENGTH;
    }

    /**
     * @param lineIndex index of a stored line, below {@link #MAX_ENCODED_LINES}.
     * @return the offset of that line from the start of the payload.
     */
    public static int lineOffset(final int lineIndex)
    {
        return LINES_OFFSET + lineIndex * LINE_LENGTH;
    }
}
