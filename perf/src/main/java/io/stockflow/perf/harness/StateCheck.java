package io.stockflow.perf.harness;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;

import java.nio.file.Path;

/**
 * The check every engine figure passes before it is printed: a fresh replay of the
 * engine's journal, through the same rules, must reach the engine's last sequence with the
 * engine's state hash. A run whose engine dropped, reordered or corrupted an event fails
 * here instead of printing a flattering number.
 */
public final class StateCheck
{
    private StateCheck()
    {
    }

    /**
     * Replays the journal of a closed engine directory from the start.
     *
     * @param engineDirectory the engine directory (its {@code journal/} is read).
     * @param expectedHash    the engine's state hash after its last event.
     * @param expectedLast    the engine's last sequence.
     * @return the replay's statistics (its rate is the replay figure).
     * @throws BenchCheckException when the sequence or the hash differs.
     */
    public static ReplayStats verify(final Path engineDirectory, final long expectedHash, final long expectedLast)
    {
        return verify(engineDirectory, Archive.NONE, expectedHash, expectedLast);
    }

    /**
     * Rebuilds the state of a closed engine directory whose engine may have archived part of its
     * journal: with every cycle in the directory or in an archive, a full replay of the archive
     * and the journal together; with cycles deleted, the oldest history left is behind the
     * snapshots, so the newest snapshot plus the journal's tail (what a restart does).
     *
     * @param engineDirectory the engine directory.
     * @param archive         where the engine's archiver put cycle files, if anywhere.
     * @param expectedHash    the engine's state hash after its last event.
     * @param expectedLast    the engine's last sequence.
     * @return the replay's statistics (its rate is the replay figure).
     * @throws BenchCheckException when the sequence or the hash differs.
     */
    public static ReplayStats verify(
        final Path engineDirectory, final Archive archive, final long expectedHash, final long expectedLast)
    {
        final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
        try (JournalReader reader = archive.directory() == null ? Journal.openReader(journal)
            : Journal.openReader(journal, archive.directory()))
        {
            final JournalReplayer replayer;
            final ReplayStats stats;
            final long last;
            if (archive.deleted())
            {
                final Recovery.RecoveryResult recovered = Recovery.recover(
                    new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory)), reader,
                    JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT, JournalReplayer.UNBOUNDED,
                    JournalReplayer.UNBOUNDED, ReplayProgress.NONE, JournalOrigin.of(engineDirectory));
                BenchCheckException.check(recovered.snapshot() != null, "no snapshot of " + engineDirectory
                    + " could be recovered from, and its journal's first cycles were deleted: "
                    + recovered.skippedSnapshots());
                replayer = recovered.replayer();
                stats = recovered.replayed();
                // A tail that is empty (the newest snapshot is at the last sequence) replays nothing.
                last = Math.max(stats.lastSequence(), recovered.snapshotMetadata().lastSequence());
            }
            else
            {
                replayer = new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT,
                    ApplyProbe.NONE, JournalOrigin.of(engineDirectory));
                stats = replayer.replay(reader, JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                    ReplayProgress.NONE);
                last = stats.lastSequence();
            }
            BenchCheckException.check(last == expectedLast, "replay of " + engineDirectory
                + " ended at sequence " + last + " but the engine ended at " + expectedLast);
            final long replayHash = replayer.state().stateHash();
            BenchCheckException.check(replayHash == expectedHash, "replay of " + engineDirectory
                + " gives state hash " + Long.toHexString(replayHash) + " but the engine had "
                + Long.toHexString(expectedHash));
            return stats;
        }
    }

    /**
     * Where an engine's archiver put the cycle files it took out of the journal directory.
     *
     * @param directory the archive directory, or null.
     * @param deleted   true when the archiver deleted them.
     */
    public record Archive(Path directory, boolean deleted)
    {
        /** No archival: the whole journal is in the engine directory. */
        public static final Archive NONE = new Archive(null, false);

        /** @param directory the archive directory, or null for none. @return where the cycles went. */
        public static Archive in(final Path directory)
        {
            return new Archive(directory, false);
        }

        /** @return the archiver deletes the cycle files. */
        public static Archive deleting()
        {
            return new Archive(null, true);
        }
    }
}
