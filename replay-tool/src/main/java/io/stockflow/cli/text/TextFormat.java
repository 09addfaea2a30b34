package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;

/**
 * The JSON Lines output forms of docs/DOMAIN.md "Text form", field for field and in the
 * same order: a journaled command in its input form (what {@code stockflow dump}
 * prints, so a dump fed back in rebuilds the same state), and a result line.
 *
 * <p>Each method appends one line without its newline to a caller's
 * {@link StringBuilder}: appending {@code long}s and constant names to a builder
 * with enough capacity allocates nothing. The output is always ASCII.
 * {@link JsonLinesWriter} puts these lines on an output stream.
 */
public final class TextFormat
{
    private TextFormat()
    {
    }

    /**
     * Appends a journaled command in its input form, e.g.
     * {@code {"ts":1700000000000,"type":"RESTOCK","sku":1,"qty":100}}: {@code ts} and
     * {@code type} first, then the type's fields in the order of docs/DOMAIN.md's examples
     * (RESTOCK sku, qty; ADJUST sku, delta; PLACE order, account, ttlMs, lines of sku,
     * qty, price; RULES the parameters it gives, retentionMs, orderCapacity, skuCapacity;
     * the others order).
     *
     * <p>A PLACE with more lines than are stored ({@link CommandView#lineCount()} above
     * 9) is written with its 9 stored lines only: read back it is still a PLACE of more
     * than 8 lines, rejected {@code INVALID} with no change to the state, exactly as
     * the original was.
     *
     * @param out         appended to.
     * @param eventTimeMs the command's journaled event time, written as {@code ts}.
     * @param command     a view wrapped over the journaled command.
     * @return {@code out}.
     */
    public static StringBuilder appendCommand(final StringBuilder out, final long eventTimeMs,
        final CommandView command)
    {
        final CommandType type = command.type();
        out.append("{\"ts\":").append(eventTimeMs).append(",\"type\":\"").append(type.name()).append('"');
        switch (type)
        {
            case RESTOCK:
                out.append(",\"sku\":").append(command.sku()).append(",\"qty\":").append(command.qty());
                break;
            case ADJUST:
                out.append(",\"sku\":").append(command.sku()).append(",\"delta\":").append(command.delta());
                break;
            case PLACE:
                out.append(",\"order\":").append(command.order())
                    .append(",\"account\":").append(command.account())
                    .append(",\"ttlMs\":").append(command.ttlMs())
                    .append(",\"lines\":[");
                final int stored = command.encodedLineCount();
                for (int i = 0; i < stored; i++)
                {
                    if (i > 0)
                    {
                        out.append(',');
                    }
                    out.append("{\"sku\":").append(command.lineSku(i))
                        .append(",\"qty\":").append(command.lineQty(i))
                        .append(",\"price\":").append(command.linePrice(i)).append('}');
                }
                out.append(']');
                break;
            case RULES:
                appendRuleFields(out, command.ruleFields(), command.retentionMs(), command.orderCapacity(),
                    command.skuCapacity());
                break;
            default:
                out.append(",\"order\":").append(command.order());
                break;
        }
        return out.append('}');
    }

    /**
     * Appends a journal's parameters record as dump writes it first: a RULES line with all
     * three parameters and no {@code ts}, e.g.
     * {@code {"type":"RULES","retentionMs":604800000,"orderCapacity":16777216,"skuCapacity":1048576}}.
     *
     * @param out           appended to.
     * @param retentionMs   the record's retention.
     * @param orderCapacity the record's order capacity.
     * @param skuCapacity   the record's SKU capacity.
     * @return {@code out}.
     */
    public static StringBuilder appendParameters(
        final StringBuilder out, final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        out.append("{\"type\":\"RULES\"");
        appendRuleFields(out, CommandFields.ALL_RULE_FIELDS, retentionMs, orderCapacity, skuCapacity);
        return out.append('}');
    }

    private static void appendRuleFields(
        final StringBuilder out, final int given, final long retentionMs, final long orderCapacity,
        final long skuCapacity)
    {
        if ((given & CommandFields.RETENTION_MS_GIVEN) != 0)
        {
            out.append(",\"retentionMs\":").append(retentionMs);
        }
        if ((given & CommandFields.ORDER_CAPACITY_GIVEN) != 0)
        {
            out.append(",\"orderCapacity\":").append(orderCapacity);
        }
        if ((given & CommandFields.SKU_CAPACITY_GIVEN) != 0)
        {
            out.append(",\"skuCapacity\":").append(skuCapacity);
        }
    }

    /**
     * Appends a journaled command's result, e.g.
     * {@code {"seq":1,"type":"RESTOCK","result":"ACCEPTED"}} or
     * {@code {"seq":3,"type":"PLACE","order":10,"result":"REJECTED","reason":"INSUFFICIENT_STOCK"}}:
     * {@code order} only for the order commands (PLACE, CANCEL, SHIP, DELIVER, RETURN),
     * as docs/DOMAIN.md shows; {@code reason} only when rejected.
     *
     * <p>The parameters match {@code OutcomeListener.onResult}, so a listener passes
     * its arguments straight through.
     *
     * @param out          appended to.
     * @param sequence     the command's journal sequence.
     * @param type         the command type.
     * @param entityId     the order id for order commands; ignored for RESTOCK and ADJUST.
     * @param rejectReason null when accepted, otherwise why it was rejected.
     * @return {@code out}.
     */
    public static StringBuilder appendResult(
        final StringBuilder out,
        final long sequence,
        final CommandType type,
        final long entityId,
        final RejectReason rejectReason)
    {
        out.append("{\"seq\":").append(sequence).append(",\"type\":\"").append(type.name()).append('"');
        if (type == CommandType.PLACE || type.isOrderCommand())
        {
            out.append(",\"order\":").append(entityId);
        }
        if (rejectReason == null)
        {
            return out.append(",\"result\":\"ACCEPTED\"}");
        }
        return out.append(",\"result\":\"REJECTED\",\"reason\":\"").append(rejectReason.name()).append("\"}");
    }
}
