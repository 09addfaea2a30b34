package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalArchiver;
import io.stockflow.journal.JournalHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code stockflow archive}: moves the journal's cycle files that recovery no longer needs (wholly
 * before the oldest retained snapshot, and old enough) into an archive directory, or deletes them,
 * so a long-running engine's directory stops growing. The engine must be stopped: the command takes
 * the directory's writer lock for its whole run, so none starts meanwhile.
 */
@Command(name = "archive", mixinStandardHelpOptions = true, description = "Move (or delete) the cycle files wholly before the oldest retained snapshot "
    + "into ARCHIVE; refused (exit 75) while an engine holds DIR.")
final class ArchiveCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--into", paramLabel = "ARCHIVE", description = "Archive directory (created if absent; outside DIR, another disk say). "
        + "Later archivals of DIR must use the same one.")
    private Path into;

    @Option(names = "--delete", description = "Delete the cycle files instead of moving them: the history before the oldest snapshot is gone.")
    private boolean delete;

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "0", description = "Only cycles that ended more than this long ago (90s, 10m, 36h, 7d or plain ms). Default: 0.")
    private String olderThan;

    @Option(names = "--dry-run", description = "Print what would be archived and change nothing.")
    private boolean dryRun;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        if ((into == null) == !delete)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "give exactly one of --into ARCHIVE (move the cycle files) and --delete (remove them)");
        }
        final long olderThanMs = RuleFlags.durationMs("--older-than", olderThan);
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        if (into != null)
        {
            EngineConfig.checkArchive(directory.directory, into);
        }
        try (JournalArchiver archiver = dryRun ? JournalArchiver.inspect(directory.journal())
            : JournalArchiver.open(directory.journal()))
        {
            final SnapshotMetadata oldest = oldestSnapshot(archiver.lastSequence());
            if (oldest == null)
            {
                out.println("archive      nothing to archive: no valid snapshot, so recovery needs the whole journal");
                out.flush();
                return ExitCodes.OK;
            }
            final JournalArchiver.ArchivePlan plan =
                archiver.plan(oldest.lastSequence(), olderThanMs, System.currentTimeMillis());
            printPlan(out, plan, oldest);
            if (!dryRun && !plan.cycles().isEmpty())
            {
                final JournalHistory history = archiver.execute(plan, into);
                out.printf("history      starts at sequence %d in %s%s%n", history.firstSequence(), directory.journal(),
                    history.archive() == null ? "; the cycles before were deleted"
                        : "; cycles before are archived in " + history.archive());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void printPlan(final PrintWriter out, final JournalArchiver.ArchivePlan plan,
        final SnapshotMetadata oldest)
    {
        final String verb = (dryRun ? "would " : "") + (delete ? "delete" : "move");
        long bytes = 0;
        for (final JournalArchiver.CycleFile cycle : plan.cycles())
        {
            bytes += Math.max(0, cycle.bytesOnDisk());
        }
        out.printf(
            "archive      %s %d cycle file(s), %,d B on disk, wholly before sequence %d (the oldest snapshot)%s%n",
            verb, plan.cycles().size(), bytes, oldest.lastSequence(), delete ? "" : " into " + into);
        for (final JournalArchiver.CycleFile cycle : plan.cycles())
        {
            out.printf("  %-32s %s%n", cycle.file().getFileName(),
                cycle.firstSequence() < 0 ? "no records" : "from sequence " + cycle.firstSequence());
        }
        if (!plan.cycles().isEmpty())
        {
            out.printf("history      %s at sequence %d%n", dryRun ? "would start" : "starts", plan.firstSequenceKept());
        }
    }

    /**
     * The oldest snapshot that can be used, read with the writer lock held so retention cannot
     * remove it meanwhile.
     */
    private SnapshotMetadata oldestSnapshot(final long journalLast)
    {
        return new SnapshotStore(directory.snapshots()).oldestUsable(journalLast, (snapshot, why) -> spec
            .commandLine().getErr().println("stockflow archive: skipping snapshot " + snapshot.getFileName() + ": "
                + why));
    }
}
