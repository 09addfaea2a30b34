package io.stockflow.engine.command;

/**
 * The journaled command types of docs/DOMAIN.md, each with a stable wire code.
 *
 * <p>The code is written into every encoded command and every journal record, so
 * it must never change once released: new types take new codes, retired codes are
 * never reused. The enum's ordinal is not the wire code.
 */
public enum CommandType
{
    /** Add stock to a SKU, creating it if new. */
    RESTOCK(1, AdmissionClass.HIGH),
    /** Correct a SKU's on-hand count by a signed delta. */
    ADJUST(2, AdmissionClass.HIGH),
    /** Reserve stock for a new order of 1 to 8 lines. */
    PLACE(3, AdmissionClass.NORMAL),
    /** Release a RESERVED order's reservation. */
    CANCEL(4, AdmissionClass.CRITICAL),
    /** Take a RESERVED order's stock out of the warehouse. */
    SHIP(5, AdmissionClass.CRITICAL),
    /** Mark a SHIPPED order delivered. */
    DELIVER(6, AdmissionClass.CRITICAL),
    /** Put a DELIVERED order's stock back on hand. */
    RETURN(7, AdmissionClass.CRITICAL),
    /** Change any of the rule parameters (retentionMs, orderCapacity, skuCapacity) from the next command on. */
    RULES(8, AdmissionClass.CRITICAL);

    /** Lowest wire code in use. */
    public static final int MIN_CODE = 1;
    /** Highest wire code in use. */
    public static final int MAX_CODE = 8;

    private static final CommandType[] BY_CODE = new CommandType[MAX_CODE + 1];

    static
    {
        for (final CommandType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final AdmissionClass admissionClass;

    CommandType(final int code, final AdmissionClass admissionClass)
    {
        this.code = code;
        this.admissionClass = admissionClass;
    }

    /** @return the stable wire code, 1 to {@link #MAX_CODE}; fits in one byte. */
    public int code()
    {
        return code;
    }

    /** @return the class the publisher sheds this command by under back-pressure. */
    public AdmissionClass admissionClass()
    {
        return admissionClass;
    }

    /**
     * @return true for the commands that name only an order (CANCEL, SHIP, DELIVER, RETURN)
     *         and share one encoding.
     */
    public boolean isOrderCommand()
    {
        return code >= CANCEL.code && code <= RETURN.code;
    }

    /**
     * Allocation-free lookup by wire code.
     *
     * @param code a wire code.
     * @return the type with that code.
     * @throws IllegalArgumentException if no type has that code.
     */
    public static CommandType fromCode(final int code)
    {
        if (code < MIN_CODE || code > MAX_CODE)
        {
            throw new IllegalArgumentException("unknown command type code=" + code);
        }
        return BY_CODE[code];
    }

    /**
     * @param code a wire code.
     * @return true if {@link #fromCode(int)} would return a type for it.
     */
    public static boolean isValidCode(final int code)
    {
        return code >= MIN_CODE && code <= MAX_CODE;
    }
}
