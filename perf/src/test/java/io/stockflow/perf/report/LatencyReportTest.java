package io.stockflow.perf.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyReportTest
{
    private static final String P = "\\{\"p50_us\":[0-9.]+,\"p90_us\":[0-9.]+,\"p99_us\":[0-9.]+,\"p999_us\":[0-9.]+,"
        + "\"p9999_us\":[0-9.]+,\"max_us\":[0-9.]+,\"count\":[0-9]+}";

    @Test
    void latencyJsonHasExactlyTheSchemaKeysInOrder()
    {
        final Histogram histogram = Histograms.nanos();
        for (long nanos = 1_000; nanos <= 1_000_000; nanos += 1_000)
        {
            Histograms.record(histogram, nanos);
        }
        final LatencySummary summary = LatencySummary.of(histogram);
        final String json = new LatencyReport(20_000, 10, summary, summary, summary, summary,
            Environment.capture().put("extra", "x")).toJson();

        final Matcher matcher =
            Pattern.compile("^\\{\"rate\":20000,\"seconds\":10,\"engine\":" + P + ",\"raw_ring\":" + P
                + ",\"raw_journal\":" + P + ",\"jitter\":" + P + ",\"env\":\\{.*}}$").matcher(json);
        assertTrue(matcher.matches(), json);
        assertTrue(json.contains("\"p50_us\":500.223") || json.contains("\"p50_us\":500"), json);
        assertTrue(json.contains("\"count\":1000"), json);
        assertTrue(json.contains("\"cpu_count\":"), json);
    }

    @Test
    void throughputJsonHasExactlyTheSchemaKeysInOrder()
    {
        final String json = new ThroughputReport(1_000, 2_000.4, 2_200, 12.5, 1_500, 700, 3_000, 4_000, 5_000, 6_000, 0,
            0.6667, 0.8333, Environment.capture()).toJson();

        assertTrue(
            json.matches("^\\{\"events\":1000,\"engine_eps\":2000,\"engine_nosnap_eps\":2200,"
                + "\"snapshot_hold_max_us\":12\\.500,\"engine_with_shadow_eps\":1500,\"shadow_lag_at_end\":700,"
                + "\"raw_journal_eps\":3000,\"raw_ring_eps\":4000,"
                + "\"replay_eps\":5000,\"raw_read_eps\":6000,\"alloc_bytes_per_event\":0,\"engine_vs_journal\":0\\.667,"
                + "\"replay_vs_read\":0\\.833,\"env\":\\{.*}}$"),
            json);
    }

    @Test
    void jsonWriterEscapesStrings()
    {
        final String json = new JsonWriter().beginObject().field("a\"b", "line\nbreak\\").name("list")
            .tree(java.util.List.of(1, "two", true)).endObject().toString();

        assertEquals("{\"a\\\"b\":\"line\\nbreak\\\\\",\"list\":[1,\"two\",true]}", json);
    }

    @Test
    void spreadGivesMedianAndRange()
    {
        final Spread spread = Spread.of(5, 1, 3, 9);

        assertEquals(4, spread.median());
        assertEquals(1, spread.min());
        assertEquals(9, spread.max());
        assertEquals("4 (1..9, 4 runs)", spread.format("%.0f"));
    }
}
