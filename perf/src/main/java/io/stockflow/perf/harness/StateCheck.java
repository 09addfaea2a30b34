package io.stockflow.perf.harness;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.recovery.ReplayStats;
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
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            final JournalReplayer replayer = new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT,
                LogicFailurePolicy.HALT);
            final ReplayStats stats = replayer.replay(reader, JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                ReplayProgress.NONE);
            BenchCheckException.check(stats.lastSequence() == expectedLast, "replay of " + engineDirectory
                + " ended at sequence " + stats.lastSequence() + " but the engine ended at " + expectedLast);
            final long replayHash = replayer.state().stateHash();
            BenchCheckException.check(replayHash == expectedHash, "replay of " + engineDirectory
                + " gives state hash " + Long.toHexString(replayHash) + " but the engine had "
                + Long.toHexString(expectedHash));
            return stats;
        }
    }
}
