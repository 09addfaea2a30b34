package io.stockflow.engine.command;

/**
 * Read access to one command's fields, whatever holds them (a parsed input line,
 * a generated workload command), so encoding and publishing are written once:
 * {@link CommandCodec#encode(CommandFields, byte[], int)} and
 * {@code CommandPublisher#publish(CommandFields, long)}.
 *
 * <p>Fields the type does not have are not read. A PLACE reports its true
 * {@link #lineCount()}; lines are read only below
 * {@code min(lineCount(), CommandCodec.MAX_ENCODED_LINES)}, the ones the codec stores.
 */
public interface CommandFields
{
    /** {@link #ruleFields()} bit: the RULES command gives {@link #retentionMs()}. */
    int RETENTION_MS_GIVEN = 1;
    /** {@link #ruleFields()} bit: the RULES command gives {@link #orderCapacity()}. */
    int ORDER_CAPACITY_GIVEN = 2;
    /** {@link #ruleFields()} bit: the RULES command gives {@link #skuCapacity()}. */
    int SKU_CAPACITY_GIVEN = 4;
    /** Every {@link #ruleFields()} bit. */
    int ALL_RULE_FIELDS = RETENTION_MS_GIVEN | ORDER_CAPACITY_GIVEN | SKU_CAPACITY_GIVEN;

    /** @return the command type. */
    CommandType type();

    /** @return the SKU of a RESTOCK or ADJUST. */
    long sku();

    /** @return the quantity of a RESTOCK. */
    long qty();

    /** @return the delta of an ADJUST. */
    long delta();

    /** @return the order id of PLACE, CANCEL, SHIP, DELIVER, RETURN. */
    long order();

    /** @return the account of a PLACE. */
    long account();

    /** @return the reservation TTL of a PLACE. */
    long ttlMs();

    /** @return the true number of lines of a PLACE (0 or more than 8 are rejected INVALID). */
    int lineCount();

    /**
     * @param lineIndex below {@code min(lineCount(), CommandCodec.MAX_ENCODED_LINES)}.
     * @return that line's SKU.
     */
    long lineSku(int lineIndex);

    /**
     * @param lineIndex below {@code min(lineCount(), CommandCodec.MAX_ENCODED_LINES)}.
     * @return that line's quantity.
     */
    long lineQty(int lineIndex);

    /**
     * @param lineIndex below {@code min(lineCount(), CommandCodec.MAX_ENCODED_LINES)}.
     * @return that line's price.
     */
    long linePrice(int lineIndex);

    /**
     * @return which parameters a RULES command gives: a mask of {@link #RETENTION_MS_GIVEN},
     *         {@link #ORDER_CAPACITY_GIVEN} and {@link #SKU_CAPACITY_GIVEN} (0: none, which the
     *         rules reject {@code INVALID}); 0 for a holder that never carries RULES.
     */
    default int ruleFields()
    {
        return 0;
    }

    /** @return the retention a RULES command gives, when {@link #RETENTION_MS_GIVEN} is set. */
    default long retentionMs()
    {
        return 0;
    }

    /** @return the order capacity a RULES command gives, when {@link #ORDER_CAPACITY_GIVEN} is set. */
    default long orderCapacity()
    {
        return 0;
    }

    /** @return the SKU capacity a RULES command gives, when {@link #SKU_CAPACITY_GIVEN} is set. */
    default long skuCapacity()
    {
        return 0;
    }
}
