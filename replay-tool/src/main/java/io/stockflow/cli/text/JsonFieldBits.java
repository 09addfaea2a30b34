package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandType;

/**
 * The field names of the JSON Lines command form (docs/DOMAIN.md "Text form") as bits,
 * and which of them each command type allows and requires, so that unknown,
 * duplicate, unexpected and missing fields are found with a few mask operations
 * and no per-line collection.
 */
final class JsonFieldBits
{
    static final int TS = 1;
    static final int TYPE = 1 << 1;
    static final int SKU = 1 << 2;
    static final int QTY = 1 << 3;
    static final int DELTA = 1 << 4;
    static final int ORDER = 1 << 5;
    static final int ACCOUNT = 1 << 6;
    static final int TTL_MS = 1 << 7;
    static final int LINES = 1 << 8;
    static final int RETENTION_MS = 1 << 9;
    static final int ORDER_CAPACITY = 1 << 10;
    static final int SKU_CAPACITY = 1 << 11;
    /** The RULES fields, each optional. */
    static final int RULES_FIELDS = RETENTION_MS | ORDER_CAPACITY | SKU_CAPACITY;

    /** Within a PLACE line. */
    static final int LINE_SKU = 1;
    /** Within a PLACE line. */
    static final int LINE_QTY = 1 << 1;
    /** Within a PLACE line. */
    static final int LINE_PRICE = 1 << 2;
    /** Every line needs all three. */
    static final int LINE_ALL = LINE_SKU | LINE_QTY | LINE_PRICE;

    /** For messages: every field name a command may have, in the order of the dump form. */
    static final String KNOWN_NAMES =
        "ts, type, sku, qty, delta, order, account, ttlMs, lines, retentionMs, orderCapacity, skuCapacity";

    private static final String[] NAMES = {"ts", "type", "sku", "qty", "delta", "order", "account", "ttlMs", "lines",
        "retentionMs", "orderCapacity", "skuCapacity"};
    private static final String[] LINE_NAMES = {"sku", "qty", "price"};

    private JsonFieldBits()
    {
    }

    /**
     * @param name a field name of the command object.
     * @return its bit, or 0 if no command has such a field.
     */
    static int bit(final String name)
    {
        switch (name)
        {
            case "ts":
                return TS;
            case "type":
                return TYPE;
            case "sku":
                return SKU;
            case "qty":
                return QTY;
            case "delta":
                return DELTA;
            case "order":
                return ORDER;
            case "account":
                return ACCOUNT;
            case "ttlMs":
                return TTL_MS;
            case "lines":
                return LINES;
            case "retentionMs":
                return RETENTION_MS;
            case "orderCapacity":
                return ORDER_CAPACITY;
            case "skuCapacity":
                return SKU_CAPACITY;
            default:
                return 0;
        }
    }

    /**
     * @param name a field name within a PLACE line.
     * @return its bit, or 0 if a line has no such field.
     */
    static int lineBit(final String name)
    {
        switch (name)
        {
            case "sku":
                return LINE_SKU;
            case "qty":
                return LINE_QTY;
            case "price":
                return LINE_PRICE;
            default:
                return 0;
        }
    }

    /**
     * @param type a command type.
     * @return the fields a line of that type may have: {@code ts} (optional), {@code type}
     *         and the type's own fields (RULES: each of its three, all optional).
     */
    static int allowed(final CommandType type)
    {
        return TS | required(type) | (type == CommandType.RULES ? RULES_FIELDS : 0);
    }

    /**
     * @param type a command type.
     * @return the fields a line of that type must have (docs/DOMAIN.md's field table, plus {@code type}).
     */
    static int required(final CommandType type)
    {
        switch (type)
        {
            case RESTOCK:
                return TYPE | SKU | QTY;
            case ADJUST:
                return TYPE | SKU | DELTA;
            case PLACE:
                return TYPE | ORDER | ACCOUNT | TTL_MS | LINES;
            case RULES:
                return TYPE;
            default:
                return TYPE | ORDER;
        }
    }

    /**
     * @param bits one or more field bits.
     * @return the name of the lowest one, so a message names fields in the dump order.
     */
    static String lowestName(final int bits)
    {
        return NAMES[Integer.numberOfTrailingZeros(bits)];
    }

    /**
     * @param bits one or more line field bits.
     * @return the name of the lowest one.
     */
    static String lowestLineName(final int bits)
    {
        return LINE_NAMES[Integer.numberOfTrailingZeros(bits)];
    }
}
