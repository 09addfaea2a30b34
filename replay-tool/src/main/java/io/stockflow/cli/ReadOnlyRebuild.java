package io.stockflow.cli;

import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalReader;

import java.nio.file.Path;

/**
 * Rebuilds an engine directory's state without changing it: a read-only journal
 * reader (no lock, so it works while an engine writes, up to the current end),
 * after the cycles archived in {@code --archive} when given,
 * and, unless told not to, the newest valid snapshot, loaded from a private copy
 * (loaded from private copies by SnapshotStore, so they are never written). The same recovery code the
 * engine runs at start, under the failure policy the directory was created with.
 */
final class ReadOnlyRebuild
{
    private ReadOnlyRebuild()
    {
    }

    static Recovery.RecoveryResult rebuild(
        final EngineDirectory directory,
        final boolean useSnapshots,
        final Path archive,
        final long toSequence,
        final long toEventTime,
        final ReplayProgress progress)
    {
        directory.existing();
        try (JournalReader reader = directory.openReader(archive))
        {
            if (!useSnapshots)
            {
                // From the start, the history must be whole (with a snapshot, the part before it need not be).
                directory.historyStart(reader, archive);
            }
            return Recovery.recover(useSnapshots ? new SnapshotStore(directory.snapshots()) : null, reader,
                JournalReplayer.RulesFactory.DEFAULT, directory.failurePolicy(), toSequence, toEventTime, progress,
                directory.origin());
        }
    }
}
