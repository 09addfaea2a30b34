package io.stockflow.perf.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The latency harness's JSON result, exactly
 * {@code {"rate":R,"seconds":S,"engine":P,"raw_ring":P,"raw_journal":P,"jitter":P,"env":{...}}}
 * where each {@code P} is a {@link LatencySummary}; {@code raw_journal} is the raw-journal
 * baseline as {@code env.raw_journal_pretouch} says ({@code off} or {@code on}; {@code off}
 * when both ran), and when both ran, {@code "raw_journal_pretouched":P} follows it.
 */
public final class LatencyReport
{
    private final long rate;
    private final long seconds;
    private final LatencySummary engine;
    private final LatencySummary rawRing;
    private final LatencySummary rawJournal;
    private final LatencySummary jitter;
    private final Environment environment;
    private LatencySummary rawJournalPretouched;

    /**
     * @param rate        offered rate, commands per second.
     * @param seconds     measured seconds per phase.
     * @param engine      engine, planned time to outcome released.
     * @param rawRing     bare pipeline, planned time to outcome stage.
     * @param rawJournal  raw Chronicle Queue, planned time to append done.
     * @param jitter      the OS-jitter probe's scheduling gaps.
     * @param environment machine, JVM and plan.
     */
    public LatencyReport(
        final long rate,
        final long seconds,
        final LatencySummary engine,
        final LatencySummary rawRing,
        final LatencySummary rawJournal,
        final LatencySummary jitter,
        final Environment environment)
    {
        this.rate = rate;
        this.seconds = seconds;
        this.engine = engine;
        this.rawRing = rawRing;
        this.rawJournal = rawJournal;
        this.jitter = jitter;
        this.environment = environment;
    }

    /**
     * @param summary the raw-journal baseline with the journal's pretoucher, when it ran besides the one without.
     * @return this.
     */
    public LatencyReport rawJournalPretouched(final LatencySummary summary)
    {
        this.rawJournalPretouched = summary;
        return this;
    }

    /** @return the report as one JSON object. */
    public String toJson()
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("rate", rate)
            .field("seconds", seconds);
        engine.writeTo(json.name("engine"));
        rawRing.writeTo(json.name("raw_ring"));
        rawJournal.writeTo(json.name("raw_journal"));
        if (rawJournalPretouched != null)
        {
            rawJournalPretouched.writeTo(json.name("raw_journal_pretouched"));
        }
        jitter.writeTo(json.name("jitter"));
        json.name("env").tree(environment.values());
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
}
