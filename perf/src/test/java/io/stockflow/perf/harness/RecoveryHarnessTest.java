package io.stockflow.perf.harness;

import io.stockflow.engine.recovery.Recovery;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The recovery harness, small: one snapshot where asked, the tail after it replayed, the same state both ways. */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryHarnessTest
{
    @TempDir
    Path directory;

    @Test
    void snapshotPlusTailAndFullReplayReachTheSameStateFromAJournalWithOneSnapshotWhereAsked()
    {
        final long snapshot = RecoveryHarness.buildJournal(directory, 30_000, 10_000);

        final Recovery.RecoveryResult fromSnapshot = RecoveryHarness.recover(directory, true, 30_000);
        final Recovery.RecoveryResult full = RecoveryHarness.recover(directory, false, 30_000);

        assertEquals(snapshot, fromSnapshot.snapshotMetadata().lastSequence());
        assertEquals(30_000 - snapshot, fromSnapshot.replayed().events(), "the tail after the snapshot");
        assertEquals(30_000, full.replayed().events());
        assertEquals(full.replayer().state().stateHash(), fromSnapshot.replayer().state().stateHash());
    }
}
