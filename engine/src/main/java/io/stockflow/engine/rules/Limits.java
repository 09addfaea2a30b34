package io.stockflow.engine.rules;

/**
 * The numeric limits of docs/DOMAIN.md, in one place so rules, tests and tools agree.
 */
public final class Limits
{
    /** Highest on-hand count of a SKU: 10^12 units. */
    public static final long MAX_ON_HAND = 1_000_000_000_000L;
    /** Highest RESTOCK quantity: 10^9 units. */
    public static final long MAX_RESTOCK_QTY = 1_000_000_000L;
    /** Highest absolute ADJUST delta: 10^9 units. */
    public static final long MAX_ADJUST_DELTA = 1_000_000_000L;
    /** Highest PLACE time to live: 7 days in milliseconds. */
    public static final long MAX_TTL_MS = 604_800_000L;
    /** The time to live of a PLACE that gives {@code ttlMs == 0}: 15 minutes. */
    public static final long DEFAULT_TTL_MS = 900_000L;
    /** Highest quantity of one order line: 10^6 units. */
    public static final long MAX_LINE_QTY = 1_000_000L;
    /** Highest price of one order line: 10^9 minor units. */
    public static final long MAX_LINE_PRICE = 1_000_000_000L;
    /** Most lines in one order. */
    public static final int MAX_LINES = 8;

    private Limits()
    {
    }
}
