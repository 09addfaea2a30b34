package io.stockflow.engine.rules;

/**
 * The statuses of an order (docs/DOMAIN.md "State"), each with a stable code for
 * snapshots. RESERVED is the only status that holds stock and has a deadline;
 * every other status except SHIPPED and DELIVERED is final.
 */
public enum OrderStatus
{
    /** Stock reserved until the deadline, a CANCEL or a SHIP. */
    RESERVED(1),
    /** Cancelled while RESERVED; reservation released. */
    CANCELLED(2),
    /** Deadline passed while RESERVED; reservation released. */
    EXPIRED(3),
    /** Stock taken out of the warehouse. */
    SHIPPED(4),
    /** Delivered after shipping. */
    DELIVERED(5),
    /** Returned after delivery; stock back on hand. */
    RETURNED(6),
    /** PLACE rejected for an unknown SKU or insufficient stock; the id is spent. */
    REJECTED(7);

    /** Lowest code in use. */
    public static final int MIN_CODE = 1;
    /** Highest code in use. */
    public static final int MAX_CODE = 7;

    private static final OrderStatus[] BY_CODE = new OrderStatus[MAX_CODE + 1];

    static
    {
        for (final OrderStatus status : values())
        {
            BY_CODE[status.code] = status;
        }
    }

    private final int code;

    OrderStatus(final int code)
    {
        this.code = code;
    }

    /** @return the stable code, 1 to {@link #MAX_CODE}; fits in one byte. */
    public int code()
    {
        return code;
    }

    /**
     * Allocation-free lookup by code.
     *
     * @param code a status code.
     * @return the status with that code.
     * @throws IllegalArgumentException if no status has that code.
     */
    public static OrderStatus fromCode(final int code)
    {
        if (code < MIN_CODE || code > MAX_CODE)
        {
            throw new IllegalArgumentException("unknown order status code=" + code);
        }
        return BY_CODE[code];
    }
}
