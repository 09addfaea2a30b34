package io.stockflow.perf.cli;

import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.EngineLatencyRun;
import io.stockflow.perf.harness.HostHiccups;
import io.stockflow.perf.harness.LatencyHarness;
import io.stockflow.perf.harness.LatencyPhase;
import io.stockflow.perf.harness.QueueLatencyRun;
import io.stockflow.perf.harness.RateSteps;
import io.stockflow.perf.harness.RawPretouch;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.Histograms;
import io.stockflow.perf.report.LatencyReport;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.PercentilePlot;
import io.stockflow.perf.report.PercentileTable;
import io.stockflow.perf.report.Spread;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

/**
 * {@code bench latency}: the engine at a constant offered rate of the demo's mix, measured
 * from each command's planned time, beside the bare pipeline, raw Chronicle Queue and the
 * OS-jitter probe of the same run; a table, {@code .hgrm} files, an SVG plot and optional
 * JSON. The raw-journal baseline runs without the journal's pretoucher, with it, or both ways
 * ({@code --raw-pretouch}); every row says which. With {@code --steps}, it then searches for the
 * highest rate whose engine p99 stays within a bound ({@link RateSteps}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true, description = "Engine latency at a constant offered rate (no coordinated omission), with baselines.")
public final class LatencyBenchCommand implements Callable<Integer>
{
    private static final String ENGINE = "engine (planned -> released)";
    private static final String RING = "raw_ring (bare pipeline)";
    private static final String JOURNAL = "raw_journal (queue append, pretouch %s)";
    private static final String JOURNAL_TAILER = "raw_journal + tailer (pretouch %s)";
    private static final String JITTER = "jitter (1 ms sleep excess)";
    /** The benchmark engine is presized for 4M orders; the preload leaves room for the run's own. */
    private static final long MAX_PRELOAD_ORDERS = 3_000_000;
    /** How long {@link HostHiccups} spins before the runs: long enough to catch the rarer gaps of milliseconds. */
    private static final long HICCUP_PROBE_NANOS = 2_000_000_000L;

    @Option(names = "--rate", defaultValue = "20000", paramLabel = "N", description = "Offered rate, commands per second. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "Measured seconds per phase. Default: ${DEFAULT-VALUE}.")
    private long seconds;

    // 15 s, not 3: on 2 CPUs, after 3 s the JIT still compiled 2.7 to 5.2 s of the 10 s window in a
    // JVM's first two runs (env.jit_compile_ms; BENCHMARKS.md "2026-12-06 06:00 to 07:30 UTC").
    @Option(names = "--warmup-seconds", defaultValue = "15", paramLabel = "S", description = "Seconds sent before recording, per phase, so the measured window runs compiled code (env.jit_compile_ms shows what the JIT still did in it). Default: ${DEFAULT-VALUE}.")
    private long warmupSeconds;

    // One engine phase, untimed, before the runs: under the forced cadence the code that runs once per roll-over or
    // per snapshot gets too few calls in one warm-up for C2, which compiled it in run 1's measured window (2.3 to
    // 2.5 s of 10 s; BENCHMARKS.md "2026-12-06 08:45 to 10:10 UTC").
    @Option(names = "--jit-warmup-runs", defaultValue = "1", paramLabel = "K", description = "Engine phases run (warm-up and measured window) before the counted runs, in the same JVM and not counted, so the "
        + "JIT has compiled the code that runs once per roll-over or snapshot. Default: ${DEFAULT-VALUE}.")
    private int jitWarmupRuns;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "K", description = "Repeat the whole run K times; the table and JSON give each percentile's median, with the "
        + "spread of the key figures. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--preload-orders", defaultValue = "0", paramLabel = "N", description = "Orders placed and held (RESERVED, longest TTL) before the warm-up, so the state is that large while measured and snapshots cost what they cost there. Default: ${DEFAULT-VALUE}.")
    private long preloadOrders;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON (medians over --runs).")
    private Path json;

    @Option(names = "--out", defaultValue = BenchOutput.DEFAULT_DIRECTORY, paramLabel = "DIR", description = "Directory for the .hgrm files and the SVG plot. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--steps", description = "After the run, find the highest rate whose p99 stays within --p99-bound-us: up from --rate while it holds, down from it if it does not.")
    private boolean steps;

    @Option(names = "--p99-bound-us", defaultValue = "1000", paramLabel = "US", description = "p99 bound for --steps, microseconds. Default: ${DEFAULT-VALUE}.")
    private double p99BoundMicros;

    @Option(names = "--step-factor", defaultValue = "1.5", paramLabel = "F", description = "Rate multiplier between steps. Default: ${DEFAULT-VALUE}.")
    private double stepFactor;

    @Option(names = "--min-rate", defaultValue = "100", paramLabel = "N", description = "Lowest rate --steps tries when --rate already misses the bound. Default: ${DEFAULT-VALUE}.")
    private long minRate;

    @Option(names = "--max-rate", defaultValue = "2000000", paramLabel = "N", description = "Highest rate --steps tries. Default: ${DEFAULT-VALUE}.")
    private long maxRate;

    @Option(names = "--raw-pretouch", defaultValue = "off", paramLabel = "off|on|both", converter = RawPretouchConverter.class, description = "Run the raw-journal baseline without the journal's pretoucher, with it (as the engine's journal "
        + "runs by default), or both ways one after the other. Default: ${DEFAULT-VALUE}.")
    private RawPretouch rawPretouch;

    @Option(names = "--as-configured", description = "Snapshot every --snapshot-every events as given and roll the journal hourly, as the engine does by default, instead of snapshotting a third of the way through the measurement on a roll-over a second; the run then need not cross either.")
    private boolean asConfigured;

    @Mixin
    private EngineOptions engineOptions;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (rate < 1 || seconds < 1 || warmupSeconds < 0 || jitWarmupRuns < 0 || stepFactor <= 1 || p99BoundMicros <= 0
            || runs < 1 || preloadOrders < 0 || preloadOrders > MAX_PRELOAD_ORDERS
            || steps && (minRate < 1 || minRate > rate || maxRate < rate))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --rate >= 1, --seconds >= 1, "
                + "--warmup-seconds >= 0, --jit-warmup-runs >= 0, --step-factor > 1, --p99-bound-us > 0, --runs >= 1, "
                + "--preload-orders in 0.." + MAX_PRELOAD_ORDERS
                + ", and with --steps 1 <= --min-rate <= --rate <= --max-rate");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final LatencyPhase phase = new LatencyPhase(rate, warmupSeconds, seconds);
        final BenchEngine.Settings settings = engineOptions
            .settings(asConfigured ? JournalRollCycle.HOURLY : JournalRollCycle.TEST_SECONDLY)
            .preloadOrders(preloadOrders)
            .forcedCadence(!asConfigured);
        stdout.printf(Locale.ROOT, "latency: %,d commands/s, %d s warm-up + %d s measured per phase, durability %s,"
            + " roll cycle %s, %d JIT warm-up run(s) then %d run(s), %,d orders preloaded, snapshots %s, raw journal"
            + " pretouch %s%n", rate, warmupSeconds, seconds, settings.durability(), settings.rollCycle(),
            jitWarmupRuns, runs, preloadOrders,
            settings.snapshotEveryEvents() == 0 ? "off"
                : asConfigured ? String.format(Locale.ROOT, "every %,d events", settings.snapshotEveryEvents())
                    : "on, a third of the way through the measurement",
            rawPretouch.name().toLowerCase(Locale.ROOT));
        stdout.flush();
        // Before any run, while nothing of ours runs: what the machine takes from a running thread.
        final Map<String, Object> hiccups = HostHiccups.measure(HICCUP_PROBE_NANOS);
        for (int run = 1; run <= jitWarmupRuns; run++)
        {
            final EngineLatencyRun.Result warmupRun = engineAlone(phase, settings);
            final LatencySummary discarded = LatencySummary.of(warmupRun.engine());
            stdout.printf(Locale.ROOT, "JIT warm-up run %d (engine only, not counted): p50 %s  p99 %s µs; JIT %s ms in"
                + " its measured window%n", run, PercentileTable.micros(discarded.p50Micros()),
                PercentileTable.micros(discarded.p99Micros()), warmupRun.jitCompileMs().get("measured"));
            stdout.flush();
        }
        final Map<String, List<LatencySummary>> series = new LinkedHashMap<>();
        final double[] ratios = new double[runs];
        final double[] journalRatios = new double[runs];
        LatencyHarness.Result last = null;
        for (int run = 0; run < runs; run++)
        {
            last = LatencyHarness.run(phase, settings, engineOptions.scratch(), rawPretouch);
            final EngineLatencyRun.Result engine = last.engine();
            add(series, ENGINE, engine.engine());
            add(series, RING, last.ring());
            for (final QueueLatencyRun.Result queue : last.queues())
            {
                add(series, journalRow(JOURNAL, queue.pretouch()), queue.append());
            }
            for (final QueueLatencyRun.Result queue : last.queues())
            {
                add(series, journalRow(JOURNAL_TAILER, queue.pretouch()), queue.tailer());
            }
            add(series, JITTER, last.jitter());
            add(series, "probe publish -> journaled", engine.journaled());
            add(series, "probe publish -> applied", engine.applied());
            add(series, "probe publish -> released", engine.released());
            ratios[run] = p99RatioOf(series, run);
            journalRatios[run] = journalP99RatioOf(series, run);
            if (runs > 1)
            {
                final LatencySummary engineRun = series.get(ENGINE).get(run);
                stdout.printf(Locale.ROOT, "run %d: engine p50 %s  p99 %s  p99.9 %s  max %s µs; p99 / raw journal"
                    + " p99 %.2f; "
                    + "%d roll-over(s), %d snapshot(s) measured (checks passed); JIT %s ms in the measured window%n",
                    run + 1, PercentileTable.micros(engineRun.p50Micros()),
                    PercentileTable.micros(engineRun.p99Micros()), PercentileTable.micros(engineRun.p999Micros()),
                    PercentileTable.micros(engineRun.maxMicros()), journalRatios[run], engine.rollOversMeasured(),
                    engine.snapshotsMeasured(), engine.jitCompileMs().get("measured"));
                stdout.flush();
            }
        }
        final EngineLatencyRun.Result engine = last.engine();
        final Map<String, LatencySummary> medians = new LinkedHashMap<>();
        final PercentileTable table = new PercentileTable();
        for (final Map.Entry<String, List<LatencySummary>> entry : series.entrySet())
        {
            final LatencySummary median = LatencySummary.medianOf(entry.getValue());
            medians.put(entry.getKey(), median);
            table.add(entry.getKey(), median);
        }
        stdout.println("plan: " + Environment.oneLine(engine.plan()));
        if (runs > 1)
        {
            stdout.printf(Locale.ROOT, "median of %d runs (counts are totals):%n", runs);
        }
        stdout.print(table.render());
        final LatencySummary engineSummary = medians.get(ENGINE);
        final LatencySummary ringSummary = medians.get(RING);
        final String journalRow = journalRow(JOURNAL, last.queue().pretouch());
        final LatencySummary journalSummary = medians.get(journalRow);
        stdout.printf(Locale.ROOT, "%nengine p99 %s µs vs raw journal p99 (pretouch %s) %s µs: ratio %s (issue 19's"
            + " goal <= 3)%n",
            Spread.of(series.get(ENGINE).stream().mapToDouble(LatencySummary::p99Micros)
                .toArray()).format("%,.1f"),
            RawPretouch.label(last.queue().pretouch()), PercentileTable.micros(journalSummary.p99Micros()),
            Spread.of(journalRatios).format("%.2f"));
        stdout.printf(Locale.ROOT, "engine p99 vs bare pipeline p99 + raw journal p99 = %s µs: ratio %s (the first"
            + " latency goal, <= 3)%n",
            PercentileTable.micros(ringSummary.p99Micros()
                + journalSummary.p99Micros()),
            Spread.of(ratios).format("%.2f"));
        stdout.printf(Locale.ROOT, "sender (engine phase): pacer spun %s of a core (the last %s µs before each send;"
            + " timer slack %s ns), parked %s ms; sending thread %s of a core%s%n",
            format(engine.pacer().get("spun_cores"), "%.2f"), format(engine.pacer().get("spin_below_us"), "%.0f"),
            format(engine.pacer().get("timer_slack_ns"), "%d"), format(engine.pacer().get("parked_ms"), "%,.0f"),
            format(engine.pacer().get("sender_cores"), "%.2f"), runs > 1 ? " (last run)" : "");
        stdout.printf(Locale.ROOT, "checks: state hash equals a replay of the journal; %d journal roll-over(s) and"
            + " %d snapshot(s) during measurement (%d journal files); %,d BACKPRESSURE retries; %,d rejections;"
            + " %,d expiries; shadow state at most %,d events behind the journal%s%n", engine.rollOversMeasured(),
            engine.snapshotsMeasured(), engine.journalFiles(), engine.refusals(), engine.rejected(), engine.expired(),
            engine.shadowLagMax(), runs > 1 ? " (last run; every run passed)" : "");
        stdout.printf(Locale.ROOT, "JIT: the compilers worked %s ms during the engine phase's warm-up and %s ms"
            + " during its measured window%s (-1: not kept by this JVM)%n", engine.jitCompileMs().get("warmup"),
            engine.jitCompileMs().get("measured"), runs > 1 ? " (last run)" : "");
        stdout.printf(Locale.ROOT, "machine: one thread spinning %s ms before the runs lost %s%% of its time in %s"
            + " gaps/s of >= 10 µs (%s over 1 ms, the longest %s µs); /proc/stat's steal does not show these%n",
            format(hiccups.get("spun_ms"), "%,.0f"), format(hiccups.get("lost_percent"), "%.2f"),
            format(hiccups.get("gaps_per_s"), "%,.0f"), format(hiccups.get("gaps_over_1ms"), "%d"),
            format(hiccups.get("max_gap_us"), "%,.0f"));
        writeFiles(last, stdout);
        final RateSteps.Result stepsResult = steps ? steps(settings, stdout) : null;
        if (json != null)
        {
            final Environment environment = Environment.capture()
                .plan("affinity_plan", engine.plan())
                .put("durability", settings.durability().name())
                .put("roll_cycle", settings.rollCycle().name())
                .put("warmup_seconds", warmupSeconds)
                .put("jit_warmup_runs", jitWarmupRuns)
                .put("runs", runs)
                .put("preload_orders", preloadOrders)
                .put("snapshots", settings.snapshotEveryEvents() > 0)
                .put("cadence", asConfigured ? "as configured" : "forced")
                .put("journal_files", engine.journalFiles())
                .put("snapshots_measured", engine.snapshotsMeasured())
                .put("shadow_lag_max", engine.shadowLagMax())
                .put("raw_journal_pretouch", rawPretouch.name().toLowerCase(Locale.ROOT))
                .put("noise", engine.noise())
                .put("jit_compile_ms", engine.jitCompileMs())
                .put("hiccups", hiccups)
                .put("pacer", engine.pacer())
                .put("engine_thread_cpu", engine.threadCpu());
            if (stepsResult != null)
            {
                environment.put("steps", stepsResult.toJson());
            }
            final LatencyReport report = new LatencyReport(rate, seconds, engineSummary, ringSummary, journalSummary,
                medians.get(JITTER), environment);
            if (rawPretouch == RawPretouch.BOTH)
            {
                report.rawJournalPretouched(medians.get(journalRow(JOURNAL, true)));
            }
            report.writeTo(json);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    private static String journalRow(final String format, final boolean pretouch)
    {
        return String.format(Locale.ROOT, format, RawPretouch.label(pretouch));
    }

    private static String format(final Object value, final String format)
    {
        return value instanceof Number ? String.format(Locale.ROOT, format, value) : "n/a";
    }

    private static void add(final Map<String, List<LatencySummary>> series, final String name, final Histogram nanos)
    {
        series.computeIfAbsent(name, key -> new ArrayList<>()).add(LatencySummary.of(nanos));
    }

    /**
     * The goal's ratio for one run: engine p99 over the sum of the two baselines' p99 (the raw journal
     * without pretouch unless only with was asked).
     */
    private double p99RatioOf(final Map<String, List<LatencySummary>> series, final int run)
    {
        return series.get(ENGINE).get(run).p99Micros()
            / (series.get(RING).get(run).p99Micros() + baselineJournal(series, run).p99Micros());
    }

    /** Issue 19's ratio for one run: engine p99 over the raw journal's p99 alone. */
    private double journalP99RatioOf(final Map<String, List<LatencySummary>> series, final int run)
    {
        return series.get(ENGINE).get(run).p99Micros() / baselineJournal(series, run).p99Micros();
    }

    /** @return the raw journal the ratios compare with: without pretouch unless only with was asked. */
    private LatencySummary baselineJournal(final Map<String, List<LatencySummary>> series, final int run)
    {
        return series.get(journalRow(JOURNAL, rawPretouch == RawPretouch.ON)).get(run);
    }

    private void writeFiles(final LatencyHarness.Result result, final PrintWriter stdout) throws IOException
    {
        Files.createDirectories(out);
        Histograms.writeHgrm(result.engine().engine(), out.resolve("latency-engine.hgrm"));
        Histograms.writeHgrm(result.ring(), out.resolve("latency-raw-ring.hgrm"));
        for (final QueueLatencyRun.Result queue : result.queues())
        {
            final String suffix = queue.pretouch() && result.queues().size() > 1 ? "-pretouch" : "";
            Histograms.writeHgrm(queue.append(), out.resolve("latency-raw-journal" + suffix + ".hgrm"));
            Histograms.writeHgrm(queue.tailer(), out.resolve("latency-raw-journal-tailer" + suffix + ".hgrm"));
        }
        Histograms.writeHgrm(result.jitter(), out.resolve("latency-jitter.hgrm"));
        final Path svg = out.resolve("latency.svg");
        new PercentilePlot(String.format(Locale.ROOT, "Stockflow latency at %,d commands/s (planned time to outcome)",
            rate))
            .add("engine", result.engine().engine())
            .add("bare pipeline", result.ring())
            .add("raw journal append", result.queue().append())
            .add("raw journal + tailer", result.queue().tailer())
            .add("OS jitter", result.jitter())
            .writeTo(svg);
        stdout.println("wrote " + out.resolve("latency-*.hgrm") + " and " + svg);
    }

    private RateSteps.Result steps(final BenchEngine.Settings settings, final PrintWriter stdout)
    {
        final boolean baselinePretouch = rawPretouch == RawPretouch.ON;
        stdout.printf(Locale.ROOT, "%nsteps: engine alone, %d s per step, from %,d/s up (or down to %,d/s if it misses)"
            + " until p99 > %s µs; then the raw journal baseline (pretouch %s) at the step's rate%n", seconds, rate,
            minRate, PercentileTable.micros(p99BoundMicros), RawPretouch.label(baselinePretouch));
        stdout.flush();
        final PercentileTable table = new PercentileTable();
        final RateSteps.Result result = RateSteps.search(rate, stepFactor, minRate, maxRate, p99BoundMicros,
            stepRate -> stepAt(stepRate, settings, baselinePretouch), step ->
            {
                table.add(String.format(Locale.ROOT, "%,d/s", step.rate()), step.summary());
                table.add(String.format(Locale.ROOT, "%,d/s raw journal", step.rate()), step.rawJournal());
                stdout.printf(Locale.ROOT, "  %,d/s: p99 %s µs, max %s µs; raw journal p50 %s µs, p99 %s µs%n",
                    step.rate(), PercentileTable.micros(step.summary().p99Micros()),
                    PercentileTable.micros(step.summary().maxMicros()),
                    PercentileTable.micros(step.rawJournal().p50Micros()),
                    PercentileTable.micros(step.rawJournal().p99Micros()));
                stdout.flush();
            });
        stdout.print(table.render());
        if (result.sustainable() > 0)
        {
            stdout.printf(Locale.ROOT, "sustainable rate (p99 <= %s µs): %,d commands/s (searched %s from %,d/s)%n",
                PercentileTable.micros(p99BoundMicros), result.sustainable(),
                result.direction().name().toLowerCase(Locale.ROOT), rate);
        }
        else
        {
            stdout.printf(Locale.ROOT, "sustainable rate (p99 <= %s µs): none of the rates tried, down to %,d/s: 0"
                + " commands/s%n", PercentileTable.micros(p99BoundMicros),
                result.steps().get(result.steps().size() - 1)
                    .rate());
        }
        return result;
    }

    /*
     * The baseline runs after the engine, under the same pacer at the same rate: on a virtual machine whose idle
     * CPUs wake late, a low rate is slow for any sender, and a step's p99 means little without it.
     */
    private RateSteps.Step stepAt(final long stepRate, final BenchEngine.Settings settings, final boolean pretouch)
    {
        final LatencyPhase stepPhase = new LatencyPhase(stepRate, Math.min(2, warmupSeconds), seconds);
        final LatencySummary engine = LatencySummary.of(engineAlone(stepPhase, settings).engine());
        try (TempDirectory directory = TempDirectory.create(engineOptions.scratch(), "stockflow-bench-queue"))
        {
            return new RateSteps.Step(stepRate, engine, LatencySummary.of(
                QueueLatencyRun.run(stepPhase, settings.rollCycle(), directory.path(), pretouch).append()));
        }
    }

    /** One engine phase without the baselines, on a scratch directory deleted after (the JIT warm-up, a step). */
    private EngineLatencyRun.Result engineAlone(final LatencyPhase enginePhase, final BenchEngine.Settings settings)
    {
        try (TempDirectory directory = TempDirectory.create(engineOptions.scratch(), "stockflow-bench-engine-alone"))
        {
            return EngineLatencyRun.run(enginePhase, settings, directory.path());
        }
    }
}
