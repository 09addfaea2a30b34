package io.stockflow.engine;

import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.replayOutcomes;
import static io.stockflow.engine.EngineTestSupport.republishJournal;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at random moments: a child JVM runs an engine under load, recording
 * every outcome it releases; after each kill every acknowledged outcome is in the
 * journal with the same result, the recovered state equals a full replay and a
 * fresh engine fed the journaled commands, and the engine takes input again at the
 * next sequence. The trials run on one directory, so later trials also recover
 * from the crashes (and snapshots) of earlier ones. {@code -Dstockflow.crashTrials=N}
 * runs more than the default 5.
 */
@Slow
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CrashTrialTest
{
    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedOutcomeSurvivesKillNineAndRecoveryMatchesAFullReplay() throws Exception
    {
        final int trials = Integer.getInteger("stockflow.crashTrials", 5);
        final SplittableRandom random = new SplittableRandom(Long.getLong("stockflow.crashSeed", 20240611L));
        final Path engineDirectory = directory.resolve("engine");
        long totalAcknowledged = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            final Durability durability = trial % 2 == 0 ? Durability.PROCESS_CRASH : Durability.OS_CRASH;
            final Path ackFile = directory.resolve("acks-" + trial);
            final long expectedNext;
            try (ChildJvm child = ChildJvm.start(true, CrashChildMain.class, engineDirectory.toString(),
                ackFile.toString(), Long.toString(random.nextLong()), durability.name(),
                EngineTestSupport.testedPipelineArgument()))
            {
                final String ready = child.awaitLine("READY ", 60);
                expectedNext = Long.parseLong(ready.substring("READY ".length()).trim());
                Thread.sleep(200 + random.nextInt(1_500));
                assertTrue(child.process().isAlive(), "child still running before the kill: " + child.stderrText());
                child.kill();
            }
            final String context = "trial " + trial + " (" + durability + ")";

            final long recoveredLast;
            final long recoveredHash;
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(engineDirectory)
                .snapshotEveryEvents(0).snapshotOnClose(false).build()).build())
            {
                engine.start();
                recoveredLast = engine.publisher().nextSequence() - 1;
                assertTrue(recoveredLast >= expectedNext - 1, context + ": journal never shrinks below what "
                    + "the previous run started from");
                recoveredHash = liveHash(engine);
                assertEquals(recoveredLast + 1, engine.publisher().restock(CommandPublisher.NOW, 1, 1),
                    context + ": accepts input again at the next sequence");
                assertTrue(engine.awaitReleased(recoveredLast + 1, Duration.ofSeconds(10)));
            }

            try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
            {
                final Recovery.RecoveryResult upToCrash = Recovery.recover(null, reader,
                    JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT, recoveredLast,
                    JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
                assertEquals(recoveredHash, upToCrash.replayer().state().stateHash(),
                    context + ": recovered state (snapshot + tail) equals a full replay");
            }

            final int[] outcomes = replayOutcomes(engineDirectory);
            final int acknowledged = checkAcknowledgements(ackFile, outcomes, recoveredLast, context);
            totalAcknowledged += acknowledged;

            final Path fresh = directory.resolve("fresh-" + trial);
            final long freshHash;
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(fresh).snapshotEveryEvents(0)
                .snapshotOnClose(false).build()).build())
            {
                engine.start();
                final long last = republishJournal(engineDirectory, engine);
                assertEquals(recoveredLast + 1, last);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
                freshHash = liveHash(engine);
            }
            assertEquals(fullReplayHash(engineDirectory), freshHash,
                context + ": a fresh engine fed the journaled commands reaches the same state");
            FileTree.deleteRecursively(fresh);
            System.out.printf("%s: killed at sequence %d, %d outcomes acknowledged, all journaled%n", context,
                recoveredLast, acknowledged);
        }
        assertTrue(totalAcknowledged > 0, "the children acknowledged outcomes before being killed");
    }

    /** @return how many acknowledgements this trial's child recorded; each is checked against the journal. */
    private static int checkAcknowledgements(final Path ackFile, final int[] outcomes, final long journalLast,
        final String context) throws IOException
    {
        final ByteBuffer acks = ByteBuffer.wrap(Files.readAllBytes(ackFile)).order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        long previous = 0;
        for (int i = 0; i < CrashChildMain.ACK_CAPACITY; i++)
        {
            final long entry = acks.getLong(i * Long.BYTES);
            if (entry == 0)
            {
                break;
            }
            final long sequence = entry >>> 8;
            final int code = (int)(entry & 0xFF) - 1;
            assertTrue(sequence > previous, context + ": acknowledgements in sequence order");
            assertTrue(sequence <= journalLast, context + ": acknowledged " + sequence + " but the journal ends at "
                + journalLast);
            assertEquals(outcomes[(int)sequence], code, context + ": result of acknowledged sequence " + sequence);
            previous = sequence;
            count++;
        }
        return count;
    }

}
