package io.stockflow.perf.cli;

import io.stockflow.cli.ArchivalFlags;
import io.stockflow.cli.RuleFlags;
import io.stockflow.cli.UserException;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.LongRun;
import io.stockflow.perf.harness.LongRunHarness;
import io.stockflow.perf.harness.LongRunSample;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.LongRunReport;
import io.stockflow.perf.report.RunPlot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * {@code bench longrun}: whether memory stays bounded once order retention forgets
 * settled orders. Sends {@code --events} commands of the demo's mix, their event time
 * advancing at {@code --event-rate} commands per second of event time however fast the
 * engine runs, into an engine whose new directory has the given {@code --order-retention};
 * samples memory, orders and disk at every tenth; and reports whether the second half
 * stays flat (each figure's largest over smallest sample at most 1.2).
 */
@Command(name = "longrun", mixinStandardHelpOptions = true, description = "Memory, held orders, snapshot and journal size over a long run with order retention: bounded or not.")
public final class LongRunBenchCommand implements Callable<Integer>
{
    private static final double MIB = 1024.0 * 1024.0;

    @Option(names = "--events", required = true, paramLabel = "N", description = "Commands to send (the demo's mix), at least 10.")
    private long events;

    @Option(names = "--order-retention", required = true, paramLabel = "DURATION", description = "The engine directory's retentionMs, as stockflow run reads it: 90s, 10m, 36h, 7d or plain ms"
        + " (0: never forget).")
    private String orderRetention;

    @Option(names = "--event-rate", defaultValue = "20000", paramLabel = "R", description = "Commands per second of event time: command i has ts = start + i * 1000 / R ms, however fast the"
        + " engine runs. Default: ${DEFAULT-VALUE}.")
    private long eventRate;

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "Write the samples and figures as JSON.")
    private Path json;

    @Option(names = "--out", defaultValue = BenchOutput.DEFAULT_DIRECTORY, paramLabel = "DIR", description = "Directory for the SVG plot (longrun.svg). Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--dir", paramLabel = "DIR", description = "Run the engine in this new (or empty) directory and keep it. Default: a scratch directory,"
        + " deleted after.")
    private Path dir;

    @Option(names = "--roll-cycle", defaultValue = "HOURLY", paramLabel = "NAME", description = "The journal's roll cycle: TEST_SECONDLY, MINUTELY, HOURLY or DAILY. Archival moves whole"
        + " cycle files, so a run of minutes that archives needs TEST_SECONDLY or MINUTELY. Default: ${DEFAULT-VALUE}.")
    private JournalRollCycle rollCycle;

    @Option(names = "--archive-into", paramLabel = "ARCHIVE", description = "The engine archives while it runs (as stockflow run --archive-into): cycle files wholly"
        + " before the oldest retained snapshot move into ARCHIVE (new or empty, outside the engine directory; kept"
        + " after the run). The self-check replays the archive and the journal together.")
    private Path archiveInto;

    @Option(names = "--archive-delete", description = "The engine deletes those cycle files instead; the self-check recovers from the newest snapshot.")
    private boolean archiveDelete;

    @Option(names = "--archive-older-than", paramLabel = "DURATION", description = "With --archive-into or --archive-delete: only cycles that ended at least this long ago"
        + " (90s, 10m, 36h, 7d or plain ms). Default: 0.")
    private String archiveOlderThan;

    @Mixin
    private EngineOptions engineOptions;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (events < LongRunHarness.SAMPLES || eventRate < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --events >= " + LongRunHarness.SAMPLES
                + ", --event-rate >= 1");
        }
        final long retentionMs = retentionMs();
        final BenchEngine.Settings settings = engineOptions.settings(rollCycle)
            .retentionMs(retentionMs)
            .presized(false);
        final ArchivalFlags archival = ArchivalFlags.parse(spec.commandLine(), archiveInto, archiveDelete,
            archiveOlderThan);
        settings.archiveInto(archival.archiveInto())
            .archiveByDeleting(archival.byDeleting())
            .archiveOlderThan(archival.olderThan());
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "longrun: %,d commands at %,d/s of event time (%,.0f s), order retention %,d ms,"
            + " durability %s, snapshot every %,d events, roll cycle %s, archival %s%n", events, eventRate,
            events / (double)eventRate, retentionMs, settings.durability(), settings.snapshotEveryEvents(), rollCycle,
            archivalDescription());
        stdout.println("each sample: all sent so far released and the snapshot due written (not timed), then one"
            + " System.gc() for a fresh heap-after-GC figure");
        stdout.printf(Locale.ROOT, "%5s %13s %9s %10s %9s %12s %12s %10s %11s %9s %9s %11s %11s%n", "tenth",
            "events", "event s", "heap MiB", "RSS MiB", "held orders", "forgotten", "snap MiB", "journal MiB",
            "dir MiB", "archived", "events/s", "shadow lag");
        stdout.flush();
        final int[] tenth = {0};
        final LongRun run;
        if (dir != null)
        {
            run = LongRunHarness.run(events, eventRate, settings, newDirectory(dir),
                sample -> row(stdout, ++tenth[0], sample));
        }
        else
        {
            try (TempDirectory directory = TempDirectory.create(engineOptions.scratch(), "stockflow-bench-longrun"))
            {
                run = LongRunHarness.run(events, eventRate, settings, directory.path(),
                    sample -> row(stdout, ++tenth[0], sample));
            }
        }
        final Environment environment = Environment.capture()
            .plan("affinity_plan", run.plan())
            .put("durability", settings.durability().name())
            .put("roll_cycle", settings.rollCycle().name())
            .put("snapshot_every_events", settings.snapshotEveryEvents())
            .put("heap_after_gc", "one System.gc() before each sample, then the heap pools' collection usage")
            .put("journal_bytes", run.diskUsage())
            .put("archival", archivalDescription())
            .put("backpressure_retries", run.refusals());
        final LongRunReport report = new LongRunReport(events, eventRate, retentionMs, run, environment);
        stdout.printf(Locale.ROOT, "%nsecond half (samples 6-10), largest / smallest: heap after GC %.2f, RSS %.2f,"
            + " held orders %.2f, snapshot %.2f: %s (goal <= %.1f each)%n", report.heapRatio(), report.rssRatio(),
            report.heldOrdersRatio(), report.snapshotRatio(), report.bounded() ? "bounded" : "NOT bounded",
            LongRunReport.BOUND);
        stdout.printf(Locale.ROOT, "engine directory on disk (journal, snapshots, counters), second half largest /"
            + " smallest %.2f: %s (goal <= %.1f with archival)%n", report.engineDirectoryRatio(),
            report.diskBounded() ? "bounded" : "NOT bounded", LongRunReport.BOUND);
        stdout.printf(Locale.ROOT, "bytes per held order (heap after GC / held orders, at the end) %,.0f; %,d orders"
            + " forgotten%n", report.bytesPerHeldOrder(), run.ordersForgotten());
        stdout.printf(Locale.ROOT, "engine %,.0f events/s; %d snapshot(s), longest snapshot hold of the logic stage"
            + " %.1f us%n", run.engineEps(), run.snapshots(), run.snapshotHoldMaxUs());
        stdout.printf(Locale.ROOT, "checks: every command published and released, counters equal to the state, no"
            + " shadow divergence, state hash equals %s (%,.0f events/s)%n",
            archiveDelete
                ? "the newest snapshot plus a replay of the journal's tail" : archiveInto != null
                    ? "a replay of the archive and the journal together" : "a replay of the journal",
            run.replayEps());
        Files.createDirectories(out);
        final Path svg = out.resolve("longrun.svg");
        plot(run, retentionMs).writeTo(svg);
        report.writeTo(json);
        stdout.println("wrote " + json + " and " + svg);
        return ExitCodes.OK;
    }

    private long retentionMs()
    {
        try
        {
            return RuleFlags.orderRetentionMs(orderRetention);
        }
        catch (final UserException | ArithmeticException e)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() == null
                ? "--order-retention " + orderRetention + " is too large" : e.getMessage());
        }
    }

    private String archivalDescription()
    {
        final String age = archiveOlderThan == null ? "" : ", cycles older than " + archiveOlderThan;
        return archiveDelete ? "delete" + age : archiveInto != null ? "into " + archiveInto + age : "off";
    }

    private Path newDirectory(final Path directory) throws IOException
    {
        Files.createDirectories(directory);
        try (Stream<Path> entries = Files.list(directory))
        {
            if (entries.findAny().isPresent())
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dir " + directory
                    + " is not empty: the run needs a new engine directory (its retention is set when it is created)");
            }
        }
        return directory;
    }

    private static void row(final PrintWriter stdout, final int tenth, final LongRunSample sample)
    {
        stdout.printf(Locale.ROOT,
            "%5d %,13d %,9.0f %,10.1f %,9.1f %,12d %,12d %,10.1f %,11.1f %,9.1f %,9d %,11.0f %,11d%n",
            tenth, sample.events(), (sample.eventTimeMs() - LongRunHarness.EVENT_TIME_START_MS) / 1e3,
            sample.heapAfterGcBytes() / MIB, sample.rssBytes() / MIB, sample.heldOrders(), sample.ordersForgotten(),
            sample.snapshotBytes() / MIB, sample.journalBytes() / MIB, sample.engineDirectoryBytes() / MIB,
            sample.archivedCycles(), sample.eps(), sample.shadowLagEvents());
        stdout.flush();
    }

    private RunPlot plot(final LongRun run, final long retentionMs)
    {
        final RunPlot plot = new RunPlot(String.format(Locale.ROOT, "stockflow bench longrun: %,d commands, %,d/s of"
            + " event time, retention %,d s", events, eventRate, retentionMs / 1_000), "commands sent (millions)",
            "MiB", "held orders (millions)", series(run, sample -> sample.events() / 1e6));
        return plot.add("heap after GC, MiB", series(run, sample -> sample.heapAfterGcBytes() / MIB), false)
            .add("RSS, MiB", series(run, sample -> sample.rssBytes() < 0 ? -1 : sample.rssBytes() / MIB), false)
            .add("engine directory on disk, MiB", series(run, sample -> sample.engineDirectoryBytes() / MIB), false)
            .add("held orders, millions", series(run, sample -> sample.heldOrders() / 1e6), true);
    }

    private static double[] series(final LongRun run, final ToDoubleFunction<LongRunSample> figure)
    {
        return run.samples().stream().mapToDouble(figure).toArray();
    }
}
