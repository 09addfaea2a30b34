package io.stockflow.cli;

import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalReader;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stockflow replay}: rebuild and report. The state before {@code --from-seq}
 * is rebuilt quietly (snapshot + replay); the report covers the events from there
 * to the end or to {@code --to-seq} / {@code --to-time}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Rebuild the state read-only and report: events, counts per type, rejections per reason, "
    + "expiries, replay rate, state hash.")
final class ReplayCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--from-seq", paramLabel = "N", description = "Report from this sequence; the state before it is rebuilt silently (newest snapshot "
        + "before it + journal). Default: 1, or just after the oldest usable snapshot once early cycles were archived "
        + "and --archive is not given.")
    private Long fromSequence;

    @Option(names = "--archive", paramLabel = "ARCHIVE", description = "Read the cycles archived there (stockflow archive --into) first: the whole history.")
    private Path archive;

    @ArgGroup(exclusive = true)
    private Bound bound = new Bound();

    @Option(names = "--full", description = "With --from-seq, rebuild the state before it from the journal alone "
        + "instead of from the newest snapshot before it.")
    private boolean full;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Where the replay stops. */
    static final class Bound
    {
        @Option(names = "--to-seq", paramLabel = "N", description = "Stop after this sequence.")
        long toSequence = JournalReplayer.UNBOUNDED;

        @Option(names = "--to-time", paramLabel = "T", description = "Stop after the last event at or before this "
            + "event time (epoch ms).")
        long toEventTime = JournalReplayer.UNBOUNDED;
    }

    @Override
    public Integer call()
    {
        if (fromSequence != null && fromSequence < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--from-seq must be >= 1, was " + fromSequence);
        }
        if (bound.toSequence < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--to-seq must be >= 1, was " + bound.toSequence);
        }
        if (bound.toEventTime < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--to-time is an event time in epoch milliseconds, >= 0, was " + bound.toEventTime);
        }
        if (fromSequence != null && bound.toSequence < fromSequence)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--to-seq " + bound.toSequence + " is before --from-seq " + fromSequence);
        }
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "replaying", 0);
        try (JournalReader reader = directory.openReader(archive))
        {
            final long start = directory.historyStart(reader, archive);
            final boolean wholeHistory = start == 1 && !directory.parametersRecordArchived(archive);
            final long from = fromSequence != null ? fromSequence : wholeHistory ? 1 : oldestSnapshotFrom(start) + 1;
            final boolean useSnapshots = !full && (from > 1 || !wholeHistory);
            final Recovery.RecoveryResult before = Recovery.recover(
                useSnapshots ? new SnapshotStore(directory.snapshots()) : null, reader,
                JournalReplayer.RulesFactory.DEFAULT,
                directory.failurePolicy(), from - 1, bound.toEventTime, ReplayProgress.NONE, directory.origin());
            final JournalReplayer replayer = before.replayer();
            final ReplayStats stats = replayer.replay(reader, bound.toSequence, bound.toEventTime, progress);
            progress.finish();
            final String snapshot = before.snapshot() == null ? null : before.snapshot().getFileName().toString();
            if (json)
            {
                ReplayReport.printJson(out, snapshot, stats, replayer.state());
            }
            else
            {
                ReplayReport.printText(out, snapshot == null ? "none (journal from the start)" : snapshot, stats,
                    replayer.state());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The journal directory's history starts at {@code start}: the report covers as much of it as a
     * snapshot allows, from just after the oldest valid snapshot the history continues from.
     */
    private long oldestSnapshotFrom(final long start)
    {
        final List<Path> snapshots = new ArrayList<>(new SnapshotStore(directory.snapshots()).listNewestFirst());
        Collections.reverse(snapshots);
        for (final Path snapshot : snapshots)
        {
            try
            {
                final long sequence = SnapshotStore.readMetadata(snapshot).lastSequence();
                if (sequence >= start - 1)
                {
                    return sequence;
                }
            }
            catch (final InvalidSnapshotException e)
            {
                spec.commandLine().getErr().println("stockflow replay: skipping snapshot " + snapshot.getFileName()
                    + ": " + e.getMessage());
            }
        }
        if (start == 1)
        {
            // Archival took the parameters record alone, and no snapshot stands in for it.
            directory.requireParametersRecord(null);
        }
        throw new JournalHistoryMissingException(directory.journal(), 1, start - 1,
            directory.history().map(JournalHistory::archive).orElse(null), directory.history().isPresent());
    }
}
