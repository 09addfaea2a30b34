package io.stockflow.perf.cli;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.cli.SnapshotFlags;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The engine options the harnesses share: plan, durability, roll cycle, pretouch, scratch directory. */
public final class EngineOptions
{
    @Option(names = "--plan", paramLabel = "FILE", description = "Affinity plan file (see stockflow affinity). Default: the machine's default plan.")
    private Path planFile;

    @Option(names = "--durability", paramLabel = "LEVEL", defaultValue = "PROCESS_CRASH", description = "Journal durability: PROCESS_CRASH or OS_CRASH. Default: ${DEFAULT-VALUE}.")
    private Durability durability;

    @Option(names = "--no-pretouch", description = "Run the journal without its pretoucher.")
    private boolean noPretouch;

    @Option(names = "--snapshot-every", paramLabel = "N", defaultValue = "1000000", description = "Snapshot every N events (0: never; bench latency, unless 0, snapshots a third of the way)."
        + " Default: ${DEFAULT-VALUE}.")
    private long snapshotEvery;

    @Option(names = "--snapshot-source", paramLabel = "SOURCE", defaultValue = "shadow", description = "Where periodic"
        + " snapshots come from: shadow (a shadow state replays the journal) or live (the logic stage copies the live"
        + " state row by row). Default: ${DEFAULT-VALUE}.")
    private SnapshotFlags.SourceName snapshotSource;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Where the scratch engine and queue directories go (deleted after). Default: the system"
        + " temporary directory.")
    private Path scratch;

    /**
     * @param rollCycle the roll cycle the harness uses.
     * @return the engine settings these options ask for.
     * @throws IOException when the plan file cannot be read.
     */
    public BenchEngine.Settings settings(final JournalRollCycle rollCycle) throws IOException
    {
        final AffinityPlan plan = planFile == null ? null : AffinityPlan.parse(planFile);
        return new BenchEngine.Settings()
            .durability(durability)
            .rollCycle(rollCycle)
            .pretouch(!noPretouch)
            .snapshotEveryEvents(snapshotEvery)
            .snapshotSource(snapshotSource.source())
            .plan(plan);
    }

    /** @return the journal durability asked for. */
    public Durability durability()
    {
        return durability;
    }

    /** @return the scratch parent directory, or null for the system's. */
    public Path scratch()
    {
        return scratch;
    }
}
