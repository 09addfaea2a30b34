package io.stockflow.cli;

import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.rules.StateView;

import java.util.Locale;

/**
 * {@code stockflow run}'s rule parameter flags ({@code --order-retention},
 * {@code --order-capacity}, {@code --sku-capacity}) and {@code --max-clock-ahead}:
 * parsing (a duration is {@code 90s}, {@code 10m}, {@code 36h}, {@code 7d} or plain
 * milliseconds), range checks with the allowed values, and the two places they meet a
 * journal: a new directory's parameters record (the flags, or the defaults, merged with a
 * first input line of type RULES, docs/DOMAIN.md "Text form") and an existing directory,
 * whose current values a flag must equal. Every refusal is a usage error (exit 64) raised
 * before anything is written. Public because {@code stockflow cluster node} takes the same flags
 * for the parameters record a new cluster's log begins with, and {@code stockflow bench longrun}
 * reads its {@code --order-retention} through {@link #orderRetentionMs}: both must parse them as
 * {@code run} does.
 */
public final class RuleFlags
{
    private final Long retentionMs;
    private final Long orderCapacity;
    private final Long skuCapacity;
    private final long maxClockAheadMs;

    /**
     * @param retention     {@code --order-retention}, or null.
     * @param orders        {@code --order-capacity}, or null.
     * @param skus          {@code --sku-capacity}, or null.
     * @param maxClockAhead {@code --max-clock-ahead}, or null for the default.
     * @throws UserException (64) naming the flag and the allowed values.
     */
    public RuleFlags(final String retention, final String orders, final String skus, final String maxClockAhead)
    {
        retentionMs = retention == null ? null : orderRetentionMs(retention);
        orderCapacity = orders == null ? null : count("--order-capacity", orders, RuleParameters.orderCapacityValues());
        if (orderCapacity != null && !RuleParameters.validOrderCapacity(orderCapacity))
        {
            throw usage("--order-capacity " + orders + " is out of range: allowed " +
                RuleParameters.orderCapacityValues());
        }
        skuCapacity = skus == null ? null : count("--sku-capacity", skus, RuleParameters.skuCapacityValues());
        if (skuCapacity != null && !RuleParameters.validSkuCapacity(skuCapacity))
        {
            throw usage("--sku-capacity " + skus + " is out of range: allowed " + RuleParameters.skuCapacityValues());
        }
        maxClockAheadMs = maxClockAhead == null ? EngineConfig.DEFAULT_MAX_CLOCK_AHEAD_MS
            : durationMs("--max-clock-ahead", maxClockAhead);
        if (maxClockAheadMs < 0 || maxClockAheadMs > RuleParameters.MAX_TIME_MS)
        {
            throw usage("--max-clock-ahead " + maxClockAhead + " is out of range: allowed 0 (no bound) to " +
                RuleParameters.MAX_TIME_MS + " ms");
        }
    }

    /**
     * Reads {@code --order-retention}: a duration ({@link #durationMs}) within the values a
     * {@code retentionMs} may take.
     *
     * @param retention the flag's value.
     * @return the retention in milliseconds.
     * @throws UserException (64) naming the flag and the allowed values.
     */
    public static long orderRetentionMs(final String retention)
    {
        final long retentionMs = durationMs("--order-retention", retention);
        if (!RuleParameters.validRetention(retentionMs))
        {
            throw usage("--order-retention " + retention + " is out of range: allowed " +
                RuleParameters.retentionValues());
        }
        return retentionMs;
    }

    /** @return the bound for {@link EngineConfig.Builder#maxClockAheadMs}. */
    public long maxClockAheadMs()
    {
        return maxClockAheadMs;
    }

    /**
     * The parameters record of a new directory: a first input line of type RULES gives
     * what it has, the flags (or the defaults) the rest; a flag that disagrees with the line,
     * or a value out of range on it, is refused.
     *
     * @param first the first input line, or null if it is not a RULES line.
     * @return retentionMs, orderCapacity, skuCapacity.
     */
    public long[] forNewDirectory(final ParsedCommand first)
    {
        final long[] values = {
            retentionMs == null ? RuleParameters.DEFAULT_RETENTION_MS : retentionMs,
            orderCapacity == null ? RuleParameters.DEFAULT_ORDER_CAPACITY : orderCapacity,
            skuCapacity == null ? RuleParameters.DEFAULT_SKU_CAPACITY : skuCapacity};
        if (first == null || first.type() != CommandType.RULES)
        {
            return values;
        }
        final int given = first.ruleFields();
        values[0] = fromLine(given, CommandFields.RETENTION_MS_GIVEN, "retentionMs", first.retentionMs(),
            "--order-retention", retentionMs, values[0]);
        values[1] = fromLine(given, CommandFields.ORDER_CAPACITY_GIVEN, "orderCapacity", first.orderCapacity(),
            "--order-capacity", orderCapacity, values[1]);
        values[2] = fromLine(given, CommandFields.SKU_CAPACITY_GIVEN, "skuCapacity", first.skuCapacity(),
            "--sku-capacity", skuCapacity, values[2]);
        if (!RuleParameters.validRetention(values[0]) || !RuleParameters.validOrderCapacity(values[1]) ||
            !RuleParameters.validSkuCapacity(values[2]))
        {
            throw usage("the first input line (the parameters record) gives retentionMs=" + values[0] +
                " orderCapacity=" + values[1] + " skuCapacity=" + values[2] + ": allowed retentionMs " +
                RuleParameters.retentionValues() + ", orderCapacity " + RuleParameters.orderCapacityValues() +
                ", skuCapacity " + RuleParameters.skuCapacityValues() + "; nothing was created");
        }
        return values;
    }

    /**
     * Refuses a flag whose value differs from the existing directory's current one.
     *
     * @param current the directory's state.
     */
    void checkExisting(final StateView current)
    {
        same("--order-retention", retentionMs, current.retentionMs(), "retentionMs");
        same("--order-capacity", orderCapacity, current.orderCapacity(), "orderCapacity");
        same("--sku-capacity", skuCapacity, current.skuCapacity(), "skuCapacity");
    }

    /** @return true if any parameter flag was given. */
    boolean anyParameter()
    {
        return retentionMs != null || orderCapacity != null || skuCapacity != null;
    }

    private static void same(final String flag, final Long wanted, final long current, final String name)
    {
        if (wanted != null && wanted != current)
        {
            throw usage(flag + " " + wanted + " differs from the journal's current " + name + " " + current +
                "; a RULES command changes it (e.g. {\"type\":\"RULES\",\"" + name + "\":" + wanted +
                "}); nothing was written");
        }
    }

    private static long fromLine(final int given, final int bit, final String name, final long onLine,
        final String flag, final Long flagValue, final long fallback)
    {
        if ((given & bit) == 0)
        {
            return fallback;
        }
        if (flagValue != null && flagValue != onLine)
        {
            throw usage(flag + " " + flagValue + " disagrees with the first input line's " + name + " " + onLine +
                " (the parameters record of the new directory); nothing was created");
        }
        return onLine;
    }

    /**
     * @param flag  the flag, for messages.
     * @param value {@code 90s}, {@code 10m}, {@code 36h}, {@code 7d} or plain milliseconds.
     * @return the duration in milliseconds.
     */
    public static long durationMs(final String flag, final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = text;
        if (!text.isEmpty())
        {
            switch (text.charAt(text.length() - 1))
            {
                case 's':
                    unit = 1_000L;
                    break;
                case 'm':
                    unit = 60_000L;
                    break;
                case 'h':
                    unit = 3_600_000L;
                    break;
                case 'd':
                    unit = 86_400_000L;
                    break;
                default:
                    break;
            }
            if (unit != 1)
            {
                digits = text.substring(0, text.length() - 1);
            }
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 15)
        {
            throw usage(flag + " " + value + " is not a duration: give 90s, 10m, 36h, 7d or plain milliseconds");
        }
        return Math.multiplyExact(Long.parseLong(digits), unit);
    }

    private static long count(final String flag, final String value, final String allowed)
    {
        final String text = value.trim();
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 15)
        {
            throw usage(flag + " " + value + " is not a whole number: allowed " + allowed);
        }
        return Long.parseLong(text);
    }

    private static UserException usage(final String message)
    {
        return new UserException(ExitCodes.USAGE, message);
    }
}
