package io.stockflow.perf.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The throughput harness's JSON result, exactly
 * {@code {"events":N,"engine_eps":..,"engine_nosnap_eps":..,"snapshot_hold_max_us":..,"engine_with_shadow_eps":..,
 * "shadow_lag_at_end":..,"raw_journal_eps":..,"raw_ring_eps":..,"replay_eps":..,
 * "raw_read_eps":..,"alloc_bytes_per_event":..,"engine_vs_journal":..,"replay_vs_read":..,"env":{...}}};
 * with several runs, each figure is the median of the runs, except {@code snapshot_hold_max_us}, the
 * worst of them. {@code env.raw_journal_pretouch} ({@code on}, {@code off} or {@code both}) says whether
 * {@code raw_journal_eps} ran with the journal's pretoucher (with both, it did, and
 * {@code env.raw_journal_eps_pretouch_off} is the figure without).
 */
public final class ThroughputReport
{
    private final long events;
    private final double engineEps;
    private final double engineNosnapEps;
    private final double snapshotHoldMaxUs;
    private final double engineWithShadowEps;
    private final double shadowLagAtEnd;
    private final double rawJournalEps;
    private final double rawRingEps;
    private final double replayEps;
    private final double rawReadEps;
    private final double allocBytesPerEvent;
    private final double engineVsJournal;
    private final double replayVsRead;
    private final Environment environment;

    /**
     * @param events             measured events per run.
     * @param engineEps          engine, publish to outcome released, events/s (snapshots as configured).
     * @param engineNosnapEps    the same with snapshots off, events/s.
     * @param snapshotHoldMaxUs  longest hold-up of the logic stage by snapshot work, us.
     * @param engineWithShadowEps engine until the shadow state had applied every event too, events/s.
     * @param shadowLagAtEnd     events the shadow state was behind when the last outcome was released.
     * @param rawJournalEps      our journal appender alone, same payloads, events/s.
     * @param rawRingEps         bare pipeline, no-op stages, events/s.
     * @param replayEps          journal replay through the rules, events/s.
     * @param rawReadEps         journal read without rules, events/s.
     * @param allocBytesPerEvent heap bytes allocated per event by publisher and stage threads when warm.
     * @param engineVsJournal    the engine's rate over the raw journal's (median of per-run ratios).
     * @param replayVsRead       replay's rate over the raw read's (median of per-run ratios).
     * @param environment        machine, JVM and plan.
     */
    public ThroughputReport(
        final long events,
        final double engineEps,
        final double engineNosnapEps,
        final double snapshotHoldMaxUs,
        final double engineWithShadowEps,
        final double shadowLagAtEnd,
        final double rawJournalEps,
        final double rawRingEps,
        final double replayEps,
        final double rawReadEps,
        final double allocBytesPerEvent,
        final double engineVsJournal,
        final double replayVsRead,
        final Environment environment)
    {
        this.events = events;
        this.engineEps = engineEps;
        this.engineNosnapEps = engineNosnapEps;
        this.snapshotHoldMaxUs = snapshotHoldMaxUs;
        this.engineWithShadowEps = engineWithShadowEps;
        this.shadowLagAtEnd = shadowLagAtEnd;
        this.rawJournalEps = rawJournalEps;
        this.rawRingEps = rawRingEps;
        this.replayEps = replayEps;
        this.rawReadEps = rawReadEps;
        this.allocBytesPerEvent = allocBytesPerEvent;
        this.engineVsJournal = engineVsJournal;
        this.replayVsRead = replayVsRead;
        this.environment = environment;
    }

    /** @return the report as one JSON object. */
    public String toJson()
    {
        return new JsonWriter().beginObject()
            .field("events", events)
            .field("engine_eps", Math.rint(engineEps))
            .field("engine_nosnap_eps", Math.rint(engineNosnapEps))
            .field("snapshot_hold_max_us", snapshotHoldMaxUs)
            .field("engine_with_shadow_eps", Math.rint(engineWithShadowEps))
            .field("shadow_lag_at_end", Math.rint(shadowLagAtEnd))
            .field("raw_journal_eps", Math.rint(rawJournalEps))
            .field("raw_ring_eps", Math.rint(rawRingEps))
            .field("replay_eps", Math.rint(replayEps))
            .field("raw_read_eps", Math.rint(rawReadEps))
            .field("alloc_bytes_per_event", allocBytesPerEvent)
            .field("engine_vs_journal", engineVsJournal)
            .field("replay_vs_read", replayVsRead)
            .name("env").tree(environment.values())
            .endObject()
            .toString();
    }

    /**
     * @param file where to write the JSON (replaced).
     * @throws IOException when it cannot be written.
     */
    public void writeTo(final Path file) throws IOException
    {
        Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
    }
}
