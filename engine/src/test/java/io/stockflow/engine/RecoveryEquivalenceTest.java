package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.recovery.Recovery;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.replay;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal is the source of truth and a snapshot only a shortcut: a live
 * engine, a recovery from its newest snapshot plus the journal tail, and a full
 * replay of the journal alone agree on the state hash; restarts continue the
 * sequence without a gap.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecoveryEquivalenceTest
{
    @TempDir
    Path directory;

    @Tag("slow")
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7L, 20240611L})
    void replayFromSnapshotGivesSameStateHashAsFullReplay(final long seed)
    {
        final long liveHash;
        final long lastSequence;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory)
            .snapshotEveryEvents(25_000).snapshotsRetained(10).snapshotOnClose(false).build()).build())
        {
            engine.start();
            lastSequence = publishMixed(engine, seed, 120_000, 0.05);
            assertTrue(engine.awaitReleased(lastSequence, Duration.ofSeconds(60)));
            liveHash = liveHash(engine);
            // The snapshot writer counts a snapshot once its file is published, on its own thread; a fast
            // logic stage can release the last event before the first snapshot is written, so wait for it.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.counters().get(EngineCounter.SNAPSHOTS) == 0 && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertTrue(engine.counters().get(EngineCounter.SNAPSHOTS) > 0,
                "at least one snapshot was taken during the run");
        }

        final Recovery.RecoveryResult fromSnapshot = replay(directory, true);
        final Recovery.RecoveryResult full = replay(directory, false);
        assertNotNull(fromSnapshot.snapshot(), "recovered from a snapshot");
        assertTrue(
            fromSnapshot.replayed().events() > 0 || fromSnapshot.snapshotMetadata().lastSequence() == lastSequence);
        assertTrue(fromSnapshot.skippedSnapshots().isEmpty(),
            "no snapshot skipped: " + fromSnapshot.skippedSnapshots());
        assertNull(full.snapshot());
        assertEquals(lastSequence, full.replayed().events());
        assertEquals(liveHash, full.replayer().rules().stateHash(), "full replay equals the live engine");
        assertEquals(liveHash, fromSnapshot.replayer().rules().stateHash(), "snapshot + tail equals the live engine");
        assertEquals(lastSequence, fromSnapshot.replayer().rules().lastSequence());
        System.out.printf("seed %d: %d events; recovery snapshot(at %d)+tail(%d) %.1f ms (load %.1f ms),"
            + " full replay %.1f ms%n", seed, lastSequence, fromSnapshot.snapshotMetadata().lastSequence(),
            fromSnapshot.replayed().events(), fromSnapshot.elapsedNs() / 1e6, fromSnapshot.snapshotLoadNs() / 1e6,
            full.elapsedNs() / 1e6);
    }

    @Test
    void restartContinuesTheSequenceGapFreeWithSnapshotOnClose()
    {
        restartSeveralTimes(true);
    }

    @Test
    void restartContinuesTheSequenceGapFreeWithoutSnapshotOnClose()
    {
        restartSeveralTimes(false);
    }

    private void restartSeveralTimes(final boolean snapshotOnClose)
    {
        final EngineConfig config = testConfig(directory).snapshotEveryEvents(0).snapshotOnClose(snapshotOnClose)
            .build();
        long expectedNext = 1;
        long hashAtClose = 0;
        for (int run = 0; run < 4; run++)
        {
            try (StockflowEngine engine = StockflowEngine.builder(config).build())
            {
                engine.start();
                if (run > 0)
                {
                    assertEquals(hashAtClose, liveHash(engine), "run " + run + " recovered the state it closed with");
                    assertEquals(snapshotOnClose, engine.recovery().snapshot() != null,
                        "run " + run + " recovered from a snapshot iff one was taken on close");
                }
                assertEquals(expectedNext, engine.publisher().nextSequence(), "run " + run + " continues the sequence");
                final long first = engine.publisher().restock(CommandPublisher.NOW, 1, 5);
                assertEquals(expectedNext, first, "first command of run " + run);
                final long last = publishMixed(engine, 100 + run, 3_000, 0.1);
                assertEquals(first + 3_000, last, "gap-free within run " + run);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
                hashAtClose = liveHash(engine);
                expectedNext = last + 1;
            }
        }
        assertEquals(hashAtClose, fullReplayHash(directory));
        assertEquals(expectedNext - 1, EngineTestSupport.replayOutcomes(directory).length - 1,
            "the journal holds every sequence exactly once");
    }
}
