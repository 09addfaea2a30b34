package io.stockflow.perf.harness;

import io.stockflow.perf.report.LatencySummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The search behind {@code bench latency --steps}: the highest offered rate, on a geometric ladder
 * through the starting rate, whose engine p99 stays within a bound. From a starting rate that holds,
 * it multiplies the rate by the factor until a step misses the bound or the next rate would pass the
 * highest allowed; from one that misses, it divides by the factor until a step holds or the next rate
 * would fall under the lowest allowed. Searching down matters on a small machine, where the rate a
 * user starts from may already be past the bound: without it the answer would be "none" even where
 * a lower rate holds.
 *
 * <p>Each rate is measured once, so a noisy step can end the search early; the steps tried, with
 * their p99, are in the result for that reason.
 */
public final class RateSteps
{
    /** Which way the search went: up from a starting rate that held, down from one that did not. */
    public enum Direction
    {
        UP,
        DOWN
    }

    /**
     * One measured step.
     *
     * @param rate       offered rate, commands per second.
     * @param summary    the engine's latency at that rate.
     * @param rawJournal the raw journal baseline's append latency at that rate, under the same pacer: what the
     *                   machine gives a single thread that appends and nothing else; null when not measured.
     */
    public record Step(long rate, LatencySummary summary, LatencySummary rawJournal)
    {}

    /**
     * @param p99BoundMicros the bound searched against.
     * @param direction      which way the search went.
     * @param sustainable    the highest rate tried whose p99 held; 0 when none did.
     * @param steps          every step measured, in the order measured.
     */
    public record Result(double p99BoundMicros, Direction direction, long sustainable, List<Step> steps)
    {
        /** @return the JSON form: bound, direction, sustainable rate and each step's rate and percentiles. */
        public Map<String, Object> toJson()
        {
            final List<Object> tried = new ArrayList<>();
            for (final Step step : steps)
            {
                final Map<String, Object> one = new LinkedHashMap<>();
                one.put("rate", step.rate());
                one.put("p50_us", step.summary().p50Micros());
                one.put("p99_us", step.summary().p99Micros());
                one.put("p999_us", step.summary().p999Micros());
                one.put("max_us", step.summary().maxMicros());
                if (step.rawJournal() != null)
                {
                    one.put("raw_journal_p50_us", step.rawJournal().p50Micros());
                    one.put("raw_journal_p99_us", step.rawJournal().p99Micros());
                }
                tried.add(one);
            }
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("p99_bound_us", p99BoundMicros);
            json.put("direction", direction.name().toLowerCase(Locale.ROOT));
            json.put("sustainable_rate", sustainable);
            json.put("tried", tried);
            return json;
        }
    }

    private RateSteps()
    {
    }

    /**
     * @param startRate      the first rate measured.
     * @param factor         the ratio between neighbouring rates, above 1.
     * @param minRate        the lowest rate a downward search measures, at least 1.
     * @param maxRate        the highest rate an upward search measures.
     * @param p99BoundMicros the bound on the engine's p99, microseconds.
     * @param measure        measures the engine (and the baseline, if any) at a rate.
     * @param onStep         told of each step as soon as it is measured (the command prints it).
     * @return the steps and the highest rate that held.
     */
    public static Result search(
        final long startRate, final double factor, final long minRate, final long maxRate, final double p99BoundMicros,
        final LongFunction<Step> measure, final Consumer<Step> onStep)
    {
        if (!(factor > 1) || minRate < 1 || startRate < minRate || startRate > maxRate || !(p99BoundMicros > 0))
        {
            throw new IllegalArgumentException("need factor > 1 and 1 <= minRate <= startRate <= maxRate, a bound > 0");
        }
        final List<Step> steps = new ArrayList<>();
        final Step first = measureStep(startRate, measure, onStep, steps);
        final Direction direction = holds(first, p99BoundMicros) ? Direction.UP : Direction.DOWN;
        long sustainable = direction == Direction.UP ? startRate : 0;
        long rate = startRate;
        while (true)
        {
            rate = direction == Direction.UP ? (long)Math.ceil(rate * factor) : (long)Math.floor(rate / factor);
            if (rate > maxRate || rate < minRate)
            {
                break;
            }
            final boolean held = holds(measureStep(rate, measure, onStep, steps), p99BoundMicros);
            if (direction == Direction.UP && !held)
            {
                break;
            }
            if (held)
            {
                sustainable = rate;
                if (direction == Direction.DOWN)
                {
                    break;
                }
            }
        }
        return new Result(p99BoundMicros, direction, sustainable, List.copyOf(steps));
    }

    private static Step measureStep(
        final long rate, final LongFunction<Step> measure, final Consumer<Step> onStep, final List<Step> steps)
    {
        final Step step = measure.apply(rate);
        steps.add(step);
        onStep.accept(step);
        return step;
    }

    private static boolean holds(final Step step, final double p99BoundMicros)
    {
        return step.summary().p99Micros() <= p99BoundMicros;
    }
}
