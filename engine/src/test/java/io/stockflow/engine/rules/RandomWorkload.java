package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;

import java.util.SplittableRandom;

/**
 * A seeded, allocation-free stream of encoded commands resembling a real mix:
 * skewed SKU popularity, the full order life cycle, duplicate and unknown ids,
 * out-of-range values of every field, one SKU driven to the 10^12 limit, and
 * event times with occasional long gaps so reservations expire.
 */
final class RandomWorkload
{
    private final SplittableRandom random;
    private final int skuUniverse;
    private final boolean outOfRange;
    private final boolean withRules;
    private long time = RulesDriver.T0;
    private long nextOrder = 1;

    /**
     * @param seed        the seed; the same seed gives the same stream.
     * @param skuUniverse SKU ids are drawn from 1 to this, skewed towards small ids.
     * @param outOfRange  whether to mix in invalid values.
     */
    RandomWorkload(final long seed, final int skuUniverse, final boolean outOfRange)
    {
        this(seed, skuUniverse, outOfRange, false);
    }

    /**
     * @param seed        the seed; the same seed gives the same stream.
     * @param skuUniverse SKU ids are drawn from 1 to this, skewed towards small ids.
     * @param outOfRange  whether to mix in invalid values.
     * @param withRules   whether to mix in RULES commands (about one in 2,000: retentions from 1 to
     *                    10 minutes or off, capacities that the run reaches, and out-of-range values).
     */
    RandomWorkload(final long seed, final int skuUniverse, final boolean outOfRange, final boolean withRules)
    {
        this.random = new SplittableRandom(seed);
        this.skuUniverse = skuUniverse;
        this.outOfRange = outOfRange;
        this.withRules = withRules;
    }

    /** @return the next event time, never going backwards. */
    long nextTime()
    {
        final int roll = random.nextInt(10_000);
        if (roll < 10)
        {
            time += 60_000 + random.nextInt(20 * 60_000);
        }
        else if (roll < 20 && outOfRange)
        {
            time += 0;
        }
        else
        {
            time += random.nextInt(200);
        }
        return time;
    }

    /**
     * Encodes the next command.
     *
     * @return its encoded length.
     */
    int next(final byte[] buffer, final int offset)
    {
        if (withRules && random.nextInt(2_000) == 0)
        {
            return rules(buffer, offset);
        }
        final int roll = random.nextInt(100);
        if (roll < 1)
        {
            return CommandCodec.encodeRestock(buffer, offset, 1, Limits.MAX_RESTOCK_QTY);
        }
        if (roll < 12)
        {
            return CommandCodec.encodeRestock(buffer, offset, sku(), restockQty());
        }
        if (roll < 17)
        {
            return CommandCodec.encodeAdjust(buffer, offset, sku(), delta());
        }
        if (roll < 57)
        {
            return place(buffer, offset);
        }
        final CommandType type = roll < 69 ? CommandType.CANCEL
            : roll < 84 ? CommandType.SHIP : roll < 93 ? CommandType.DELIVER : CommandType.RETURN;
        return CommandCodec.encodeOrderCommand(buffer, offset, type, existingOrder());
    }

    private int rules(final byte[] buffer, final int offset)
    {
        final long[] retentions = {0, 60_000, 120_000, 600_000, 59_999, RuleParameters.MAX_RETENTION_MS + 1};
        final long[] orderCapacities = {0, 400, 1_500, 100_000, -1, RuleParameters.MAX_ORDER_CAPACITY + 1};
        final long[] skuCapacities = {0, 150, 205, 100_000, -1, RuleParameters.MAX_SKU_CAPACITY + 1};
        final int valid = outOfRange ? 6 : 4;
        return CommandCodec.encodeRules(buffer, offset, random.nextInt(8), retentions[random.nextInt(valid)],
            orderCapacities[random.nextInt(valid)], skuCapacities[random.nextInt(valid)]);
    }

    private int place(final byte[] buffer, final int offset)
    {
        final long order;
        final int idRoll = random.nextInt(100);
        if (idRoll < 88)
        {
            order = nextOrder++;
        }
        else if (idRoll < 98 || !outOfRange)
        {
            order = existingOrder();
        }
        else
        {
            order = -random.nextInt(3);
        }
        final long account = outOfRange && random.nextInt(200) == 0 ? -1 : 1 + random.nextInt(1_000);
        final int lineCount = lineCount();
        final int length = CommandCodec.encodePlaceHeader(buffer, offset, order, account, ttlMs(), lineCount);
        for (int i = 0; i < Math.min(lineCount, CommandCodec.MAX_ENCODED_LINES); i++)
        {
            final long sku = outOfRange && random.nextInt(100) == 0 ? 1 : sku();
            CommandCodec.encodePlaceLine(buffer, offset, i, sku, lineQty(), linePrice());
        }
        return length;
    }

    private long sku()
    {
        if (outOfRange)
        {
            final int roll = random.nextInt(1_000);
            if (roll == 0)
            {
                return 0;
            }
            if (roll == 1)
            {
                return Long.MIN_VALUE;
            }
            if (roll < 20)
            {
                return skuUniverse + 1 + random.nextInt(10);
            }
        }
        final double u = random.nextDouble();
        return 1 + (long)(skuUniverse * u * u * u);
    }

    private long restockQty()
    {
        final int roll = random.nextInt(100);
        if (roll < 3)
        {
            return Limits.MAX_RESTOCK_QTY;
        }
        if (outOfRange && roll < 5)
        {
            return random.nextBoolean() ? 0 : Limits.MAX_RESTOCK_QTY + 1;
        }
        return 1 + random.nextInt(500);
    }

    private long delta()
    {
        final int roll = random.nextInt(100);
        if (roll < 3)
        {
            return random.nextBoolean() ? Limits.MAX_ADJUST_DELTA : -Limits.MAX_ADJUST_DELTA;
        }
        if (outOfRange && roll < 6)
        {
            return roll == 3 ? 0 : roll == 4 ? Long.MIN_VALUE : Limits.MAX_ADJUST_DELTA + 1;
        }
        return random.nextInt(201) - 100;
    }

    private long ttlMs()
    {
        final int roll = random.nextInt(100);
        if (roll < 50)
        {
            return 0;
        }
        if (roll < 85)
        {
            return 1 + random.nextInt(10_000);
        }
        if (outOfRange && roll < 88)
        {
            return roll == 85 ? -1 : Limits.MAX_TTL_MS + 1;
        }
        return random.nextLong(Limits.MAX_TTL_MS + 1);
    }

    private int lineCount()
    {
        if (outOfRange)
        {
            final int roll = random.nextInt(500);
            if (roll == 0)
            {
                return 0;
            }
            if (roll == 1)
            {
                return 9 + random.nextInt(1_000);
            }
        }
        final int roll = random.nextInt(100);
        return roll < 60 ? 1 : roll < 85 ? 2 : roll < 95 ? 3 + random.nextInt(3) : 6 + random.nextInt(3);
    }

    private long lineQty()
    {
        final int roll = random.nextInt(1_000);
        if (outOfRange && roll < 3)
        {
            return roll == 0 ? 0 : roll == 1 ? -5 : Limits.MAX_LINE_QTY + 1;
        }
        if (roll < 6)
        {
            return Limits.MAX_LINE_QTY;
        }
        return 1 + random.nextInt(roll < 100 ? 200 : 10);
    }

    private long linePrice()
    {
        final int roll = random.nextInt(1_000);
        if (outOfRange && roll < 2)
        {
            return roll == 0 ? -1 : Limits.MAX_LINE_PRICE + 1;
        }
        return roll < 5 ? Limits.MAX_LINE_PRICE : random.nextInt(100_000);
    }

    private long existingOrder()
    {
        if (outOfRange)
        {
            final int roll = random.nextInt(200);
            if (roll == 0)
            {
                return random.nextBoolean() ? 0 : Long.MIN_VALUE;
            }
            if (roll == 1)
            {
                return nextOrder + random.nextInt(100);
            }
        }
        final long back = 1 + random.nextInt(random.nextInt(10) == 0 ? 5_000 : 100);
        return Math.max(1, nextOrder - back);
    }
}
