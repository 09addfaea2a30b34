package io.stockflow.engine.command;

/**
 * Why a journaled command was rejected (docs/DOMAIN.md "Commands"), each with a stable
 * code. The codes are persisted by outcome consumers and used as the rules'
 * outcome code ({@code 0} meaning accepted), so they start at 1 and never change.
 */
public enum RejectReason
{
    /** A field is out of its allowed range, or a PLACE names the same SKU twice. */
    INVALID(1),
    /** The command would push a SKU's on-hand count above 10^12. */
    LIMIT_EXCEEDED(2),
    /** The SKU has never been restocked. */
    UNKNOWN_SKU(3),
    /** Not enough available stock for the reservation or adjustment. */
    INSUFFICIENT_STOCK(4),
    /** A PLACE names an order id that was already recorded, in any status. */
    DUPLICATE_ORDER(5),
    /** No order with that id was ever recorded. */
    UNKNOWN_ORDER(6),
    /** The order is not in the status the command requires. */
    INVALID_STATE(7);

    /** Lowest code in use. */
    public static final int MIN_CODE = 1;
    /** Highest code in use. */
    public static final int MAX_CODE = 7;

    private static final RejectReason[] BY_CODE = new RejectReason[MAX_CODE + 1];

    static
    {
        for (final RejectReason reason : values())
        {
            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;

    RejectReason(final int code)
    {
        this.code = code;
    }

    /** @return the stable code, 1 to {@link #MAX_CODE}. */
    public int code()
    {
        return code;
    }

    /**
     * Allocation-free lookup by code.
     *
     * @param code a reason code.
     * @return the reason with that code.
     * @throws IllegalArgumentException if no reason has that code.
     */
    public static RejectReason fromCode(final int code)
    {
        if (code < MIN_CODE || code > MAX_CODE)
        {
            throw new IllegalArgumentException("unknown reject reason code=" + code);
        }
        return BY_CODE[code];
    }
}
