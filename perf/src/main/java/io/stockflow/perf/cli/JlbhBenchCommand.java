package io.stockflow.perf.cli;

import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.ChronicleQueueJlbh;
import io.stockflow.perf.harness.JlbhHarness;
import io.stockflow.perf.harness.LatencyPhase;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.JlbhReport;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.PercentileTable;
import io.stockflow.perf.report.RunNoise;
import io.stockflow.perf.report.Spread;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench jlbh}: a cross-check of our latency harness and our raw-journal baseline against
 * the Chronicle authors' own, at one rate ({@link JlbhHarness}): our raw-journal append under our
 * harness, the same under JLBH, and Chronicle's {@code QueueSingleThreadedJLBHBenchmark} under
 * JLBH, side by side in a table and optional JSON with the environment and each phase's noise.
 */
@Command(name = "jlbh", mixinStandardHelpOptions = true, description = "Cross-check: our raw-journal baseline under our harness and under Chronicle's JLBH, beside Chronicle's"
    + " QueueSingleThreadedJLBHBenchmark under JLBH, at the same rate.")
public final class JlbhBenchCommand implements Callable<Integer>
{
    private static final Map<String, String> ROWS = rows();

    @Option(names = "--rate", defaultValue = "20000", paramLabel = "N", description = "Offered rate, per second, for every phase. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "Measured seconds per phase. Default: ${DEFAULT-VALUE}.")
    private long seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S", description = "Warm-up per phase, in seconds at the rate (JLBH runs its warm-up iterations unpaced). "
        + "Default: ${DEFAULT-VALUE}.")
    private long warmupSeconds;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "K", description = "Repeat the three phases K times; the table and JSON give each percentile's median. "
        + "Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--roll-cycle", defaultValue = "TEST_SECONDLY", paramLabel = "CYCLE", description = "Our raw journal's roll cycle (bench latency uses TEST_SECONDLY); Chronicle's task keeps its own. "
        + "Default: ${DEFAULT-VALUE}.")
    private JournalRollCycle rollCycle;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON (medians over --runs).")
    private Path json;

    @Option(names = "--out", defaultValue = BenchOutput.DEFAULT_DIRECTORY, paramLabel = "DIR", description = "Directory for JLBH's own report (jlbh.log). Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Where the scratch queue directories go (deleted after). Default: the system temporary directory.")
    private Path scratch;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private static Map<String, String> rows()
    {
        final Map<String, String> rows = new LinkedHashMap<>();
        rows.put(JlbhHarness.RAW_JOURNAL, "raw_journal, our harness");
        rows.put(JlbhHarness.RAW_JOURNAL_JLBH, "raw_journal under JLBH");
        rows.put(JlbhHarness.CHRONICLE_JLBH, "Chronicle's benchmark under JLBH");
        return rows;
    }

    @Override
    public Integer call() throws IOException
    {
        if (rate < 1 || rate > Integer.MAX_VALUE || seconds < 1 || warmupSeconds < 0 || runs < 1
            || (warmupSeconds + seconds) * rate > Integer.MAX_VALUE)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --rate in 1.." + Integer.MAX_VALUE
                + ", --seconds >= 1, --warmup-seconds >= 0, --runs >= 1, and at most " + Integer.MAX_VALUE
                + " commands per phase");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        final Path log = out.resolve("jlbh.log");
        Files.deleteIfExists(log);
        final LatencyPhase phase = new LatencyPhase(rate, warmupSeconds, seconds);
        stdout.printf(Locale.ROOT, "jlbh: %,d/s, %d s warm-up + %d s measured per phase, %d run(s); our raw journal:"
            + " roll cycle %s, pretouch off; Chronicle's benchmark: its own queue, as it comes%n", rate, warmupSeconds,
            seconds, runs, rollCycle);
        stdout.flush();
        final Map<String, List<LatencySummary>> series = new LinkedHashMap<>();
        JlbhHarness.Result last = null;
        for (int run = 1; run <= runs; run++)
        {
            last = JlbhHarness.run(phase, rollCycle, scratch, log);
            for (final Map.Entry<String, LatencySummary> phaseSummary : last.summaries().entrySet())
            {
                series.computeIfAbsent(phaseSummary.getKey(), key -> new ArrayList<>()).add(phaseSummary.getValue());
            }
            if (runs > 1)
            {
                stdout.printf(Locale.ROOT, "run %d: p99 %s µs (our harness), %s µs (JLBH), Chronicle's %s µs%n", run,
                    p99(last, JlbhHarness.RAW_JOURNAL), p99(last, JlbhHarness.RAW_JOURNAL_JLBH),
                    p99(last, JlbhHarness.CHRONICLE_JLBH));
                stdout.flush();
            }
        }
        final Map<String, LatencySummary> medians = new LinkedHashMap<>();
        final PercentileTable table = new PercentileTable();
        for (final Map.Entry<String, List<LatencySummary>> entry : series.entrySet())
        {
            final LatencySummary median = LatencySummary.medianOf(entry.getValue());
            medians.put(entry.getKey(), median);
            table.add(ROWS.get(entry.getKey()), median);
        }
        if (runs > 1)
        {
            stdout.printf(Locale.ROOT, "median of %d runs (counts are totals):%n", runs);
        }
        stdout.print(table.render());
        stdout.printf(Locale.ROOT, "%nsame task, two harnesses (JLBH / ours): p50 %s, p99 %s%n",
            ratio(series, JlbhHarness.RAW_JOURNAL_JLBH, JlbhHarness.RAW_JOURNAL, LatencySummary::p50Micros),
            ratio(series, JlbhHarness.RAW_JOURNAL_JLBH, JlbhHarness.RAW_JOURNAL, LatencySummary::p99Micros));
        stdout.printf(Locale.ROOT, "same harness, two tasks (ours / Chronicle's, under JLBH): p50 %s, p99 %s%n",
            ratio(series, JlbhHarness.RAW_JOURNAL_JLBH, JlbhHarness.CHRONICLE_JLBH, LatencySummary::p50Micros),
            ratio(series, JlbhHarness.RAW_JOURNAL_JLBH, JlbhHarness.CHRONICLE_JLBH, LatencySummary::p99Micros));
        stdout.println(
            "ours: generate, encode and append one demo command (33 B on average) per iteration, a tailer thread"
                + " reading; Chronicle's: append one 2,963 B native record and read it back on the same thread. Both"
                + " measured from the planned start (JLBH's coordinated-omission correction on).");
        stdout.println("noise" + (runs > 1 ? " (last run)" : "") + ": " + noiseLine(last.noise()));
        stdout.println("wrote " + log + " (JLBH's own reports)");
        if (json != null)
        {
            final Environment environment = Environment.capture()
                .put("warmup_seconds", warmupSeconds)
                .put("runs", runs)
                .put("roll_cycle", rollCycle.name())
                .put("raw_journal_pretouch", "off")
                .put("coordinated_omission_correction", true)
                .put("chronicle_task", "net.openhft.chronicle.queue.bench.QueueSingleThreadedJLBHBenchmark, as-is")
                .put("chronicle_queue_directory", ChronicleQueueJlbh.prepare(scratch).toString())
                .put("noise", last.noise());
            new JlbhReport(rate, seconds, medians, environment).writeTo(json);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    private static String p99(final JlbhHarness.Result result, final String phase)
    {
        return PercentileTable.micros(result.summaries().get(phase).p99Micros());
    }

    private static String ratio(
        final Map<String, List<LatencySummary>> series,
        final String numerator,
        final String denominator,
        final ToDoubleFunction<LatencySummary> figure)
    {
        final List<LatencySummary> top = series.get(numerator);
        final List<LatencySummary> bottom = series.get(denominator);
        final double[] ratios = new double[top.size()];
        for (int run = 0; run < ratios.length; run++)
        {
            ratios[run] = figure.applyAsDouble(top.get(run)) / figure.applyAsDouble(bottom.get(run));
        }
        return Spread.of(ratios).format("%.2f");
    }

    private static String noiseLine(final Map<String, Object> noise)
    {
        final StringBuilder line = new StringBuilder();
        for (final Map.Entry<String, Object> phase : noise.entrySet())
        {
            final Object steal = ((Map<?, ?>)phase.getValue()).get("steal_percent");
            line.append(line.length() == 0 ? "" : ", ").append(phase.getKey()).append(" steal ")
                .append(steal instanceof Number ? String.format(Locale.ROOT, "%.1f%%", ((Number)steal).doubleValue())
                    : "n/a");
        }
        return line.append(" (a tail from a phase above ").append(RunNoise.STEAL_LIMIT_PERCENT)
            .append("% steal is reported, not judged)").toString();
    }
}
