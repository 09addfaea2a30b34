package io.stockflow.perf.cli;

import io.stockflow.engine.recovery.Recovery;
import io.stockflow.perf.harness.BenchCheckException;
import io.stockflow.perf.harness.RecoveryHarness;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.JsonWriter;
import io.stockflow.perf.report.Spread;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench recovery}: restart from the newest snapshot plus a journal tail of
 * {@code --tail} events, against a full replay of the same {@code --events}-event
 * journal, over {@code --runs} rounds that alternate which of the two goes first, after
 * {@code --jit-warmup-runs} untimed rounds; medians with their spread, and the ratio.
 * Both must reach the same state hash.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true, description = "Recovery from a snapshot plus a journal tail against a full replay of the same journal.")
public final class RecoveryBenchCommand implements Callable<Integer>
{
    @Option(names = "--events", defaultValue = "4000000", paramLabel = "N", description = "Commands in the journal (the demo's mix). Default: ${DEFAULT-VALUE}.")
    private long events;

    @Option(names = "--tail", defaultValue = "1000000", paramLabel = "T", description = "Commands after the snapshot, less at most one batch (the snapshot is taken at a batch end);"
        + " less than half of --events. Default: ${DEFAULT-VALUE}.")
    private long tail;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "K", description = "Rounds, each recovering both ways. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--jit-warmup-runs", defaultValue = "1", paramLabel = "K", description = "Untimed rounds before the counted ones, in the same JVM, so both recoveries are timed on compiled"
        + " code: building the journal runs the engine and its shadow state, which compiles the replay's code but not"
        + " the snapshot load's, so without this the first round timed a cold load against a warm replay. Default:"
        + " ${DEFAULT-VALUE}.")
    private int jitWarmupRuns;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the medians as JSON.")
    private Path json;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Where the scratch engine directory goes (deleted after). Default: the system temp directory.")
    private Path scratch;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (events < 3 || tail < 1 || 2 * tail >= events || runs < 1 || jitWarmupRuns < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "need --events >= 3, 1 <= --tail < --events / 2, --runs >= 1, --jit-warmup-runs >= 0");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final double[] snapshotSeconds = new double[runs];
        final double[] loadSeconds = new double[runs];
        final double[] fullSeconds = new double[runs];
        final long snapshotSequence;
        long tailEvents = 0;
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-recovery"))
        {
            stdout.printf(Locale.ROOT, "recovery: building a %,d-event journal with one snapshot %,d events before its"
                + " end%n", events, tail);
            stdout.flush();
            snapshotSequence = RecoveryHarness.buildJournal(directory.path(), events, tail);
            for (int warmUp = 0; warmUp < jitWarmupRuns; warmUp++)
            {
                final Round round = round(directory.path(), true);
                stdout.printf(Locale.ROOT,
                    "warm-up round %d (not counted): snapshot + tail %.2f s, full replay %.2f s%n",
                    warmUp + 1, round.fromSnapshot.elapsedNs / 1e9, round.full.elapsedNs / 1e9);
                stdout.flush();
            }
            for (int run = 0; run < runs; run++)
            {
                // Every other round replays in full first, so neither way always follows the other.
                final boolean snapshotFirst = run % 2 == 0;
                final Round round = round(directory.path(), snapshotFirst);
                final RecoveryFigures fromSnapshot = round.fromSnapshot;
                final RecoveryFigures full = round.full;
                tailEvents = fromSnapshot.events;
                snapshotSeconds[run] = fromSnapshot.elapsedNs / 1e9;
                loadSeconds[run] = fromSnapshot.loadNs / 1e9;
                fullSeconds[run] = full.elapsedNs / 1e9;
                stdout.printf(Locale.ROOT, "run %d: snapshot + %,d-event tail %.2f s (snapshot load %.2f s), full"
                    + " replay of %,d events %.2f s (state hashes equal; %s first)%n", run + 1, tailEvents,
                    snapshotSeconds[run], loadSeconds[run], full.events, fullSeconds[run],
                    snapshotFirst ? "snapshot" : "full replay");
                stdout.flush();
            }
        }
        final double[] ratios = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            ratios[run] = snapshotSeconds[run] / fullSeconds[run];
        }
        final Spread withSnapshot = Spread.of(snapshotSeconds);
        final Spread load = Spread.of(loadSeconds);
        final Spread full = Spread.of(fullSeconds);
        final Spread ratio = Spread.of(ratios);
        stdout.printf(Locale.ROOT, "%nmedians (min..max) over %d run(s):%n", runs);
        stdout.printf(Locale.ROOT, "  snapshot at %,d + %,d-event tail  %s s%n", snapshotSequence, tailEvents,
            withSnapshot.format("%.2f"));
        stdout.printf(Locale.ROOT, "    of which loading the snapshot    %s s%n", load.format("%.2f"));
        stdout.printf(Locale.ROOT, "  full replay of %,d events       %s s%n", events, full.format("%.2f"));
        stdout.printf(Locale.ROOT, "  snapshot + tail / full replay     %s%n", ratio.format("%.2f"));
        if (json != null)
        {
            final JsonWriter writer = new JsonWriter().beginObject()
                .field("events", events)
                .field("tail", tailEvents)
                .field("snapshot_sequence", snapshotSequence)
                .field("snapshot_plus_tail_s", withSnapshot.median())
                .field("snapshot_load_s", load.median())
                .field("full_replay_s", full.median())
                .field("ratio", ratio.median())
                .name("env")
                .tree(Environment.capture().put("runs", runs).put("jit_warmup_runs", jitWarmupRuns).values());
            Files.writeString(json, writer.endObject() + "\n", StandardCharsets.UTF_8);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    /** What one recovery measured, without the rebuilt state it measured. */
    private static final class RecoveryFigures
    {
        final long elapsedNs;
        final long loadNs;
        final long events;
        final long stateHash;

        private RecoveryFigures(final Recovery.RecoveryResult result)
        {
            elapsedNs = result.elapsedNs();
            loadNs = result.snapshotLoadNs();
            events = result.replayed().events();
            stateHash = result.replayer().state().stateHash();
        }

        static RecoveryFigures of(final Path directory, final boolean useSnapshot, final long events)
        {
            final Recovery.RecoveryResult result = RecoveryHarness.recover(directory, useSnapshot, events);
            BenchCheckException.check(!useSnapshot || result.snapshot() != null, "the snapshot was not used: "
                + result.skippedSnapshots());
            return new RecoveryFigures(result);
        }
    }

    /** One recovery from the snapshot and one full replay, on the same journal. */
    private record Round(RecoveryFigures fromSnapshot, RecoveryFigures full)
    {}

    /*
     * Each recovery's tables are unreachable once its figures are taken, so the next one starts on a
     * heap that holds none of them (RecoveryHarness.recover collects before it starts).
     */
    private Round round(final Path directory, final boolean snapshotFirst)
    {
        final RecoveryFigures first = RecoveryFigures.of(directory, snapshotFirst, events);
        final RecoveryFigures second = RecoveryFigures.of(directory, !snapshotFirst, events);
        final Round round = snapshotFirst ? new Round(first, second) : new Round(second, first);
        BenchCheckException.check(round.fromSnapshot.stateHash == round.full.stateHash,
            "snapshot + tail and full replay reached different states");
        return round;
    }
}
