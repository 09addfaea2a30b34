package io.stockflow.perf.harness;

import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.RunNoise;
import net.openhft.chronicle.jlbh.JLBHTask;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench jlbh} in one run: our raw-journal baseline measured by our own harness and by
 * Chronicle's JLBH, and Chronicle's {@code QueueSingleThreadedJLBHBenchmark} under JLBH, one
 * after the other at the same rate for the same seconds:
 * <ol>
 *   <li>{@code raw_journal}: {@link QueueLatencyRun} as {@code bench latency} runs it (our
 *       {@link io.stockflow.engine.workload.Pacer}, pretouch off);</li>
 *   <li>{@code raw_journal_jlbh}: the same send step under JLBH ({@link RawJournalJlbhTask});</li>
 *   <li>{@code chronicle_jlbh}: Chronicle's task under JLBH ({@link ChronicleQueueJlbh}).</li>
 * </ol>
 * The first two check the harnesses against each other on the same task; the last two check
 * our baseline's task against the library authors' own. JLBH's own text report of each JLBH
 * phase, and what Chronicle's task prints to standard output, go to a log file, so the
 * command's output stays ours. Each phase's noise ({@link RunNoise}) is kept.
 */
public final class JlbhHarness
{
    /** Our raw-journal baseline under our harness. */
    public static final String RAW_JOURNAL = "raw_journal";
    /** Our raw-journal baseline under JLBH. */
    public static final String RAW_JOURNAL_JLBH = "raw_journal_jlbh";
    /** Chronicle's QueueSingleThreadedJLBHBenchmark under JLBH. */
    public static final String CHRONICLE_JLBH = "chronicle_jlbh";

    private JlbhHarness()
    {
    }

    /**
     * @param phase     rate, warm-up and measured seconds, the same for every phase.
     * @param rollCycle our raw journal's roll cycle (Chronicle's task keeps its own).
     * @param scratch   where to create the scratch directories; null for the system's.
     * @param log       where JLBH's own reports go (appended).
     * @return each phase's percentiles and noise, checked.
     */
    public static Result run(
        final LatencyPhase phase, final JournalRollCycle rollCycle, final Path scratch, final Path log)
    {
        ChronicleQueueJlbh.prepare(scratch);
        final Result result = new Result();
        RunNoise noise = RunNoise.start();
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-jlbh-harness"))
        {
            result.add(RAW_JOURNAL, LatencySummary.of(QueueLatencyRun.run(phase, rollCycle, directory.path(), false)
                .append()), noise.stop());
        }
        noise = RunNoise.start();
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-jlbh-raw"))
        {
            final int capacity = Math.toIntExact(Math.max(1, phase.warmupEvents()) + phase.measuredEvents());
            result.add(RAW_JOURNAL_JLBH, jlbh(new RawJournalJlbhTask(directory.path(), rollCycle, capacity), phase,
                log), noise.stop());
        }
        noise = RunNoise.start();
        try
        {
            result.add(CHRONICLE_JLBH, jlbh(ChronicleQueueJlbh.newTask(), phase, log), noise.stop());
        }
        finally
        {
            ChronicleQueueJlbh.deleteQueue();
        }
        return result;
    }

    /**
     * Runs one JLBH phase with standard output going to the log as well: JLBH prints its progress
     * and Chronicle's task its queue path and TeamCity statistics there, not to a stream it is given.
     */
    private static LatencySummary jlbh(
        final JLBHTask task, final LatencyPhase phase, final Path log)
    {
        final PrintStream stdout = System.out;
        try (OutputStream file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            PrintStream logStream = new PrintStream(file, true, StandardCharsets.UTF_8))
        {
            System.setOut(logStream);
            try
            {
                return JlbhRun.run(task, phase, logStream);
            }
            finally
            {
                System.setOut(stdout);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the JLBH log " + log + ": " + e.getMessage(), e);
        }
    }

    /** Each phase's percentiles and noise, in the order run. */
    public static final class Result
    {
        private final Map<String, LatencySummary> summaries = new LinkedHashMap<>();
        private final Map<String, Object> noise = new LinkedHashMap<>();

        void add(final String name, final LatencySummary summary, final Map<String, Object> phaseNoise)
        {
            summaries.put(name, summary);
            noise.put(name, phaseNoise);
        }

        /** @return percentiles by phase name ({@link #RAW_JOURNAL}, {@link #RAW_JOURNAL_JLBH}, {@link #CHRONICLE_JLBH}). */
        public Map<String, LatencySummary> summaries()
        {
            return summaries;
        }

        /** @return each phase's steal time, context switches and page faults, by phase name. */
        public Map<String, Object> noise()
        {
            return noise;
        }
    }
}
