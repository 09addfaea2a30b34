package io.stockflow.perf.report;

import io.stockflow.perf.harness.LongRun;
import io.stockflow.perf.harness.LongRunSample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The long-run harness's JSON result: the run's size, the ten samples of each figure as
 * lists, the whole-run scalars, and for heap, RSS, held orders and snapshot size the
 * largest over the smallest of the second half's samples (indices 5 to 9): the figure
 * that says whether memory stopped growing once retention started forgetting. The run is
 * {@code bounded} when each of those four is at most {@value #BOUND}.
 */
public final class LongRunReport
{
    /** The goal for each second-half max over min. */
    public static final double BOUND = 1.2;

    private final long events;
    private final long eventRate;
    private final long retentionMs;
    private final LongRun run;
    private final Environment environment;

    /**
     * @param events      commands sent.
     * @param eventRate   commands per second of event time.
     * @param retentionMs the engine's order retention.
     * @param run         the checked run.
     * @param environment machine, JVM and plan.
     */
    public LongRunReport(
        final long events, final long eventRate, final long retentionMs, final LongRun run,
        final Environment environment)
    {
        this.events = events;
        this.eventRate = eventRate;
        this.retentionMs = retentionMs;
        this.run = run;
        this.environment = environment;
    }

    /** @return heap after GC at the end over orders held at the end: what one held order costs, all else included. */
    public double bytesPerHeldOrder()
    {
        final LongRunSample last = run.last();
        return last.heldOrders() > 0 ? last.heapAfterGcBytes() / (double)last.heldOrders() : Double.NaN;
    }

    /** @return second-half max over min of heap after GC. */
    public double heapRatio()
    {
        return secondHalfMaxOverMin(LongRunSample::heapAfterGcBytes);
    }

    /** @return second-half max over min of RSS. */
    public double rssRatio()
    {
        return secondHalfMaxOverMin(LongRunSample::rssBytes);
    }

    /** @return second-half max over min of held orders. */
    public double heldOrdersRatio()
    {
        return secondHalfMaxOverMin(LongRunSample::heldOrders);
    }

    /** @return second-half max over min of the newest snapshot's size. */
    public double snapshotRatio()
    {
        return secondHalfMaxOverMin(LongRunSample::snapshotBytes);
    }

    /** @return second-half max over min of the whole engine directory's bytes on disk (journal, snapshots, counters). */
    public double engineDirectoryRatio()
    {
        return secondHalfMaxOverMin(LongRunSample::engineDirectoryBytes);
    }

    /**
     * @return true when the engine directory's bytes on disk stayed within {@value #BOUND} over the
     *         second half: what archival behind the snapshots must give (without it the journal grows
     *         with every command, so this is false).
     */
    public boolean diskBounded()
    {
        return engineDirectoryRatio() <= BOUND;
    }

    /** @return true when each second-half max over min is at most {@value #BOUND}; false if one is unknown. */
    public boolean bounded()
    {
        return heapRatio() <= BOUND && rssRatio() <= BOUND && heldOrdersRatio() <= BOUND && snapshotRatio() <= BOUND;
    }

    /** @return the report as one JSON object. */
    public String toJson()
    {
        final List<LongRunSample> samples = run.samples();
        final JsonWriter json = new JsonWriter().beginObject()
            .field("events", events)
            .field("event_rate", eventRate)
            .field("retention_ms", retentionMs)
            .field("event_time_s", events / (double)eventRate);
        list(json, "sample_events", LongRunSample::events);
        list(json, "heap_after_gc_bytes", LongRunSample::heapAfterGcBytes);
        list(json, "rss_bytes", LongRunSample::rssBytes);
        list(json, "held_orders", LongRunSample::heldOrders);
        list(json, "orders_forgotten_so_far", LongRunSample::ordersForgotten);
        list(json, "snapshot_bytes", LongRunSample::snapshotBytes);
        list(json, "journal_bytes", LongRunSample::journalBytes);
        list(json, "engine_directory_bytes", LongRunSample::engineDirectoryBytes);
        list(json, "archived_cycles", LongRunSample::archivedCycles);
        list(json, "archive_bytes", LongRunSample::archiveBytes);
        list(json, "shadow_lag_events", LongRunSample::shadowLagEvents);
        json.name("tenth_eps").beginArray();
        for (final LongRunSample sample : samples)
        {
            json.value(Math.rint(sample.eps()));
        }
        json.endArray()
            .field("orders_forgotten", run.ordersForgotten())
            .field("bytes_per_held_order", bytesPerHeldOrder())
            .field("snapshot_hold_max_us", run.snapshotHoldMaxUs())
            .field("snapshots", run.snapshots())
            .field("engine_eps", Math.rint(run.engineEps()))
            .field("replay_eps", Math.rint(run.replayEps()))
            .name("second_half_max_over_min").beginObject()
            .field("heap_after_gc", heapRatio())
            .field("rss", rssRatio())
            .field("held_orders", heldOrdersRatio())
            .field("snapshot_bytes", snapshotRatio())
            .field("engine_directory_bytes", engineDirectoryRatio())
            .endObject()
            .name("bounded").tree(bounded())
            .name("disk_bounded").tree(diskBounded())
            .name("env").tree(environment.values());
        return json.endObject().toString();
    }

    /**
     * @param file where to write the JSON (replaced).
     * @throws IOException when it cannot be written.
     */
    public void writeTo(final Path file) throws IOException
    {
        Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
    }

    private void list(final JsonWriter json, final String name, final ToLongFunction<LongRunSample> figure)
    {
        json.name(name).beginArray();
        for (final LongRunSample sample : run.samples())
        {
            json.value(figure.applyAsLong(sample));
        }
        json.endArray();
    }

    /**
     * @return the largest over the smallest of the second half's samples; NaN (JSON null) when the smallest
     *         is not positive (not measured, or nothing yet), which {@link #bounded()} counts as not bounded.
     */
    private double secondHalfMaxOverMin(final ToLongFunction<LongRunSample> figure)
    {
        final List<LongRunSample> samples = run.samples();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = samples.size() / 2; i < samples.size(); i++)
        {
            final long value = figure.applyAsLong(samples.get(i));
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return min > 0 ? max / (double)min : Double.NaN;
    }
}
