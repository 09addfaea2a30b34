package io.stockflow.perf.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench jlbh}'s JSON result, exactly
 * {@code {"rate":R,"seconds":S,"raw_journal":P,"raw_journal_jlbh":P,"chronicle_jlbh":P,"env":{...}}}
 * where each {@code P} is a {@link LatencySummary} (its {@code max_us} is JLBH's "worst").
 */
public final class JlbhReport
{
    private final long rate;
    private final long seconds;
    private final Map<String, LatencySummary> phases;
    private final Environment environment;

    /**
     * @param rate        offered rate, per second.
     * @param seconds     measured seconds per phase.
     * @param phases      percentiles by phase name, in the order written.
     * @param environment machine, JVM and the run's noise.
     */
    public JlbhReport(
        final long rate, final long seconds, final Map<String, LatencySummary> phases, final Environment environment)
    {
        this.rate = rate;
        this.seconds = seconds;
        this.phases = new LinkedHashMap<>(phases);
        this.environment = environment;
    }

    /** @return the report as one JSON object. */
    public String toJson()
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("rate", rate)
            .field("seconds", seconds);
        for (final Map.Entry<String, LatencySummary> phase : phases.entrySet())
        {
            phase.getValue().writeTo(json.name(phase.getKey()));
        }
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
