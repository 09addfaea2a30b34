package io.stockflow.engine.rules;

/**
 * Read access to one order's lines, in the order the PLACE gave them. Handed out
 * as a reused flyweight: valid only until the next call into the rules.
 */
public interface OrderLines
{
    /** @return the number of lines, 1 to {@link Limits#MAX_LINES}. */
    int count();

    /**
     * @param lineIndex 0 to {@link #count()} - 1.
     * @return that line's SKU.
     */
    long sku(int lineIndex);

    /**
     * @param lineIndex 0 to {@link #count()} - 1.
     * @return that line's quantity.
     */
    long qty(int lineIndex);

    /**
     * @param lineIndex 0 to {@link #count()} - 1.
     * @return that line's price in minor currency units.
     */
    long price(int lineIndex);
}
