package io.stockflow.perf.harness;

import io.stockflow.perf.report.LatencySummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rate search of {@code bench latency --steps}, on a made-up engine whose p99 grows with the rate. */
class RateStepsTest
{
    /** p99 in µs equal to the rate / 100: 10,000/s gives 100 µs. */
    private static final LongFunction<RateSteps.Step> P99_IS_RATE_OVER_100 =
        rate -> new RateSteps.Step(rate, LatencySummary.of(1, 2, rate / 100.0, rate / 50.0, rate / 25.0, rate / 10.0,
            rate), null);

    private final List<Long> measured = new ArrayList<>();

    @Test
    void searchesUpFromAStartThatHoldsAndStopsAtTheFirstMiss()
    {
        final RateSteps.Result result = search(2_000, 2, 100, 1_000_000, 100);

        assertEquals(RateSteps.Direction.UP, result.direction());
        assertEquals(List.of(2_000L, 4_000L, 8_000L, 16_000L), measured);
        assertEquals(8_000, result.sustainable());
    }

    @Test
    void searchesDownFromAStartThatMissesAndStopsAtTheFirstRateThatHolds()
    {
        final RateSteps.Result result = search(40_000, 2, 100, 1_000_000, 100);

        assertEquals(RateSteps.Direction.DOWN, result.direction());
        assertEquals(List.of(40_000L, 20_000L, 10_000L), measured);
        assertEquals(10_000, result.sustainable());
    }

    @Test
    void reportsNoneWhenEveryRateDownToTheLowestMisses()
    {
        final RateSteps.Result result = search(40_000, 2, 9_000, 1_000_000, 50);

        assertEquals(List.of(40_000L, 20_000L, 10_000L), measured);
        assertEquals(0, result.sustainable());
    }

    @Test
    void stopsAtTheHighestRateAllowedWhenEveryStepHolds()
    {
        final RateSteps.Result result = search(1_000, 3, 100, 9_000, 1_000);

        assertEquals(List.of(1_000L, 3_000L, 9_000L), measured);
        assertEquals(9_000, result.sustainable());
    }

    @Test
    void jsonGivesTheBoundTheDirectionTheAnswerAndEveryStep()
    {
        final Map<String, Object> json = search(40_000, 2, 100, 1_000_000, 100).toJson();

        assertEquals(100.0, json.get("p99_bound_us"));
        assertEquals("down", json.get("direction"));
        assertEquals(10_000L, json.get("sustainable_rate"));
        final List<?> tried = (List<?>)json.get("tried");
        assertEquals(3, tried.size());
        assertEquals(Map.of("rate", 20_000L, "p50_us", 1.0, "p99_us", 200.0, "p999_us", 400.0, "max_us", 2_000.0),
            tried.get(1));
    }

    @Test
    void jsonGivesEachStepsBaselineBesideItWhenOneWasMeasured()
    {
        final RateSteps.Result result = RateSteps.search(1_000, 2, 100, 1_000, 100,
            rate -> new RateSteps.Step(rate, LatencySummary.of(1, 2, 3, 4, 5, 6, rate),
                LatencySummary.of(0.5, 1, 2.5, 3, 4, 5, rate)),
            step -> measured.add(step.rate()));

        final Map<?, ?> step = (Map<?, ?>)((List<?>)result.toJson().get("tried")).get(0);
        assertEquals(0.5, step.get("raw_journal_p50_us"));
        assertEquals(2.5, step.get("raw_journal_p99_us"));
        assertEquals(3.0, step.get("p99_us"));
    }

    @Test
    void refusesALadderThatCannotEnd()
    {
        assertThrows(IllegalArgumentException.class, () -> search(1_000, 1, 100, 9_000, 100));
        assertThrows(IllegalArgumentException.class, () -> search(50, 2, 100, 9_000, 100));
    }

    private RateSteps.Result search(
        final long start, final double factor, final long min, final long max, final double boundMicros)
    {
        return RateSteps.search(start, factor, min, max, boundMicros, P99_IS_RATE_OVER_100,
            step -> measured.add(step.rate()));
    }
}
