package io.stockflow.perf.cli;

import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.BenchPlans;
import io.stockflow.perf.harness.RawPretouch;
import io.stockflow.perf.harness.ThroughputHarness;
import io.stockflow.perf.harness.ThroughputRun;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.Spread;
import io.stockflow.perf.report.ThroughputReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench throughput}: engine events/s beside the raw journal, raw queue, bare
 * pipeline, replay and raw read of the same run, and allocation per event when warm;
 * with {@code --runs K}, the median and range of each figure over K runs.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true, description = "Engine throughput (publish to outcome) beside raw journal, bare pipeline, replay and raw read.")
public final class ThroughputBenchCommand implements Callable<Integer>
{
    @Option(names = "--events", defaultValue = "1000000", paramLabel = "N", description = "Measured events per phase. Default: ${DEFAULT-VALUE}.")
    private long events;

    @Option(names = "--warmup-events", paramLabel = "N", description = "Events sent before timing, per phase. Default: a quarter of --events, at least 50,000.")
    private Long warmupEvents;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "K", description = "Repeat the whole run K times; report medians and ranges. Every other run times the engine with "
        + "snapshots off before the engine instead of after it, so use an even K to compare the two. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--jit-warmup-runs", defaultValue = "1", paramLabel = "K", description = "Whole runs before the measured ones, in the same JVM and not counted, so every phase is timed "
        + "on compiled code: the first run is where the JIT compiles the engine's, the shadow state's and the snapshot "
        + "writer's code (on 2 CPUs its C2 thread took half a CPU for some 15 s of it). Default: ${DEFAULT-VALUE}.")
    private int jitWarmupRuns;

    @Option(names = "--roll-cycle", defaultValue = "HOURLY", paramLabel = "CYCLE", description = "Journal roll cycle: TEST_SECONDLY, MINUTELY, HOURLY, DAILY. Default: ${DEFAULT-VALUE}.")
    private JournalRollCycle rollCycle;

    @Option(names = "--compare-counters", description = "Also run the engine with its counters off, right after each run with them on, and report "
        + "the ratio (the counters' overhead).")
    private boolean compareCounters;

    @Option(names = "--raw-pretouch", defaultValue = "on", paramLabel = "off|on|both", converter = RawPretouchConverter.class, description = "Run the raw-journal phase with the journal's pretoucher (as the engine's journal runs by "
        + "default), without it, or both ways one after the other (the pretouched figure stays the main one). "
        + "Default: ${DEFAULT-VALUE}.")
    private RawPretouch rawPretouch;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the medians as JSON.")
    private Path json;

    @Mixin
    private EngineOptions engineOptions;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (events < 1 || runs < 1 || jitWarmupRuns < 0 || (warmupEvents != null && warmupEvents < 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "need --events >= 1, --runs >= 1, --jit-warmup-runs >= 0, --warmup-events >= 0");
        }
        final long warmup = warmupEvents != null ? warmupEvents : Math.max(50_000, events / 4);
        final PrintWriter stdout = spec.commandLine().getOut();
        final BenchEngine.Settings settings = engineOptions.settings(rollCycle);
        stdout.printf(Locale.ROOT, "throughput: %,d events (+%,d warm-up) per phase, %d run(s), durability %s,"
            + " roll cycle %s%n", events, warmup, runs, settings.durability(), settings.rollCycle());
        for (int run = 1; run <= jitWarmupRuns; run++)
        {
            final ThroughputRun discarded = ThroughputHarness.run(events, warmup, settings, engineOptions.scratch(),
                false, rawPretouch, false);
            stdout.printf(Locale.ROOT, "JIT warm-up run %d (not counted): engine %,.0f/s, snapshots off %,.0f/s%n", run,
                discarded.engineEps(), discarded.engineNosnapEps());
            stdout.flush();
        }
        final List<ThroughputRun> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++)
        {
            // Every other run times snapshots off first, so over an even number of runs neither phase always
            // goes first: in one JVM the later phase ran on a heap and page cache the earlier one had shaped.
            final boolean snapshotsOffFirst = run % 2 == 0;
            final ThroughputRun result = ThroughputHarness.run(events, warmup, settings, engineOptions.scratch(),
                compareCounters, rawPretouch, snapshotsOffFirst);
            results.add(result);
            stdout.printf(Locale.ROOT, "run %d: engine %,.0f/s (snapshots off %,.0f/s%s, longest snapshot hold of the"
                + " logic stage %.1f us), raw journal %,.0f/s%s, raw queue %,.0f/s, bare ring"
                + " %,.0f/s, replay %,.0f/s, raw read %,.0f/s, alloc %.2f B/event %s (state hash checked); JIT %d ms"
                + " in the timed engine run, %d ms with snapshots off%n", run,
                result.engineEps(), result.engineNosnapEps(), snapshotsOffFirst ? ", timed first" : "",
                result.snapshotHoldMaxUs(), result.rawJournalEps(),
                rawPretouch == RawPretouch.BOTH ? String.format(Locale.ROOT, " (pretouch off %,.0f/s)",
                    result.rawJournalOtherPretouchEps()) : "",
                result.rawQueueEps(), result.rawRingEps(),
                result.replayEps(), result.rawReadEps(), result.allocBytesPerEvent(), result.allocByThread(),
                result.jitMsEngine(), result.jitMsEngineNosnap());
            stdout.flush();
        }
        final Spread engine = spread(results, ThroughputRun::engineEps);
        final Spread engineNosnap = spread(results, ThroughputRun::engineNosnapEps);
        final Spread holdMax = spread(results, ThroughputRun::snapshotHoldMaxUs);
        final Spread withShadow = spread(results, ThroughputRun::engineWithShadowEps);
        final Spread shadowLag = spread(results, run -> run.shadowLagAtEnd());
        final Spread journal = spread(results, ThroughputRun::rawJournalEps);
        final Spread queue = spread(results, ThroughputRun::rawQueueEps);
        final Spread ring = spread(results, ThroughputRun::rawRingEps);
        final Spread replay = spread(results, ThroughputRun::replayEps);
        final Spread read = spread(results, ThroughputRun::rawReadEps);
        final Spread alloc = spread(results, ThroughputRun::allocBytesPerEvent);
        final Spread engineVsJournal = spread(results, ThroughputRun::engineVsJournal);
        final Spread replayVsRead = spread(results, ThroughputRun::replayVsRead);
        final Spread engineVsRing = spread(results, run -> run.engineEps() / run.rawRingEps());
        final Spread journalVsQueue = spread(results, run -> run.rawJournalEps() / run.rawQueueEps());
        stdout.printf(Locale.ROOT, "%nmedians (min..max) over %d run(s), events/s:%n", runs);
        stdout.printf(Locale.ROOT, "  engine (publish -> outcome)  %s%n", engine.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  engine, snapshots off        %s%n", engineNosnap.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  engine / snapshots off       %s (goal >= 0.9)%n",
            spread(results, run -> run.engineEps() / run.engineNosnapEps()).format("%.2f"));
        stdout.printf(Locale.ROOT, "  snapshot hold, max us        %s (goal <= 1,000)%n", holdMax.format("%.1f"));
        stdout.printf(Locale.ROOT, "  shadow state behind at end   %s events%n", shadowLag.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  engine until shadow caught up %s (/ snapshots off %s)%n",
            withShadow.format("%,.0f"),
            spread(results, run -> run.engineWithShadowEps() / run.engineNosnapEps()).format("%.2f"));
        final String mainPretouch = RawPretouch.label(rawPretouch != RawPretouch.OFF);
        stdout.printf(Locale.ROOT, "  raw journal append           %s (pretouch %s)%n", journal.format("%,.0f"),
            mainPretouch);
        if (rawPretouch == RawPretouch.BOTH)
        {
            stdout.printf(Locale.ROOT, "  raw journal append           %s (pretouch off)%n",
                spread(results, ThroughputRun::rawJournalOtherPretouchEps).format("%,.0f"));
        }
        stdout.printf(Locale.ROOT, "  raw Chronicle Queue append   %s%n", queue.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  bare pipeline (no-op stages) %s%n", ring.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  replay (journal -> rules)    %s%n", replay.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  raw read (journal, checked)  %s%n", read.format("%,.0f"));
        stdout.printf(Locale.ROOT, "  allocation, bytes/event      %s (goal 0)%n", alloc.format("%.2f"));
        stdout.printf(Locale.ROOT, "  engine / raw journal         %s (goal >= 0.6)%n", engineVsJournal.format("%.2f"));
        stdout.printf(Locale.ROOT, "  replay / raw read            %s (goal >= 0.5)%n", replayVsRead.format("%.2f"));
        stdout.printf(Locale.ROOT, "  engine / bare pipeline       %s%n", engineVsRing.format("%.2f"));
        stdout.printf(Locale.ROOT, "  raw journal / raw queue      %s%n", journalVsQueue.format("%.2f"));
        if (compareCounters)
        {
            final Spread off = spread(results, ThroughputRun::engineOtherCountersEps);
            final Spread offAlloc = spread(results, ThroughputRun::allocOtherCountersBytesPerEvent);
            final Spread onVsOff = spread(results, run -> run.engineEps() / run.engineOtherCountersEps());
            stdout.printf(Locale.ROOT, "  engine, counters %s          %s%n", settings.counters() ? "off" : "on ",
                off.format("%,.0f"));
            stdout.printf(Locale.ROOT, "  allocation, counters %s      %s%n", settings.counters() ? "off" : "on ",
                offAlloc.format("%.2f"));
            stdout.printf(Locale.ROOT, "  engine counters on / off     %s (goal >= 0.97)%n", (settings.counters()
                ? onVsOff : spread(results, run -> run.engineOtherCountersEps() / run.engineEps())).format("%.2f"));
        }
        if (json != null)
        {
            final Environment environment = Environment.capture()
                .plan("affinity_plan", BenchPlans.resolve(settings.plan()))
                .put("durability", settings.durability().name())
                .put("roll_cycle", settings.rollCycle().name())
                .put("warmup_events", warmup)
                .put("runs", runs)
                .put("jit_warmup_runs", jitWarmupRuns)
                .put("jit_compile_ms_engine", results.stream().map(ThroughputRun::jitMsEngine).toList())
                .put("jit_compile_ms_engine_nosnap", results.stream().map(ThroughputRun::jitMsEngineNosnap).toList())
                .put("raw_queue_eps", Math.rint(queue.median()))
                .put("raw_journal_pretouch", rawPretouch.name().toLowerCase(Locale.ROOT));
            if (rawPretouch == RawPretouch.BOTH)
            {
                environment.put("raw_journal_eps_pretouch_off",
                    Math.rint(spread(results, ThroughputRun::rawJournalOtherPretouchEps).median()));
            }
            new ThroughputReport(events, engine.median(), engineNosnap.median(), holdMax.max(), withShadow.median(),
                shadowLag.median(), journal.median(),
                ring.median(), replay.median(),
                read.median(), alloc.median(), engineVsJournal.median(), replayVsRead.median(), environment)
                .writeTo(json);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    private static Spread spread(final List<ThroughputRun> runs, final ToDoubleFunction<ThroughputRun> figure)
    {
        return Spread.of(runs.stream().mapToDouble(figure).toArray());
    }
}
