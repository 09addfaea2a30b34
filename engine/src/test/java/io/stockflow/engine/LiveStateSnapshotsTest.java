package io.stockflow.engine;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotSource;
import io.stockflow.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.recover;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots captured from the live state ({@link SnapshotSource#LIVE_STATE}), row by row as the logic stage
 * goes on, in both topologies: each is the journal's replay to its sequence, loads with its rows matching
 * its recorded hash, and a restart recovers from the newest to the live state. No shadow state runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LiveStateSnapshotsTest
{
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(PipelineKind.class)
    void bothTopologiesCaptureSnapshotsFromTheLiveStateAndEachIsTheJournalsReplay(final PipelineKind kind)
        throws Exception
    {
        final long last;
        final long hash;
        try (StockflowEngine engine = StockflowEngine.builder(config(kind).snapshotEveryEvents(1_000).build())
            .build())
        {
            engine.start();
            final CountersFile counters = engine.counters();
            long published = 0;
            for (int chunk = 1; chunk <= 6; chunk++)
            {
                // A snapshot falls due at the chunk's last command; its capture ends in the stage's idle time.
                published = publishMixed(engine, 10 + chunk, 1_000, 0.05);
                assertTrue(engine.awaitReleased(published, Duration.ofSeconds(60)));
                awaitSnapshots(counters, chunk);
            }
            last = published;
            assertEquals(0, counters.get(EngineCounter.SHADOW_EVENTS), "no shadow state replays the journal");
            assertTrue(counters.get(EngineCounter.SNAPSHOT_HOLD_MAX_NS) > 0, "the capture's steps are timed");
            hash = liveHash(engine);
        }

        final List<Path> snapshots = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory)).listNewestFirst();
        assertEquals(List.of(6_000L, 5_000L, 4_000L), snapshots.stream().map(SnapshotStore::sequenceOf).toList(),
            "every 1,000 events exactly, the newest 3 retained, none from the close");
        for (final Path snapshot : snapshots)
        {
            final long sequence = SnapshotStore.sequenceOf(snapshot);
            // The load checks the rows against the recorded hash; the replay checks that hash.
            final SnapshotMetadata metadata = SnapshotStore.loadInto(snapshot,
                new StateRestorer(new FulfillmentRules(ExpiryListener.NONE)));
            assertEquals(recover(directory, false, sequence).replayer().state().stateHash(), metadata.stateHash(),
                "snapshot " + snapshot.getFileName() + " is the journal's replay to its sequence");
        }
        final Recovery.RecoveryResult restart = recover(directory, true, Long.MAX_VALUE);
        assertNotNull(restart.snapshot(), "recovery starts from the newest snapshot");
        assertEquals(hash, restart.replayer().state().stateHash());
    }

    @Test
    void aSnapshotFallsDueByTimeAtTheEndOfABatch()
    {
        try (StockflowEngine engine = StockflowEngine.builder(config(EngineTestSupport.testedPipeline())
            .snapshotEveryEvents(0).snapshotEveryInterval(Duration.ofMillis(20)).build()).build())
        {
            engine.start();
            long last = publishMixed(engine, 3, 2_000, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            // One more command ends a batch after the interval: the capture starts there and the rest finish it.
            last = publishMixed(engine, 4, 200, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
            awaitSnapshots(engine.counters(), 1);
        }
    }

    private EngineConfig.Builder config(final PipelineKind kind)
    {
        return testConfig(directory).pipeline(kind).snapshotSource(SnapshotSource.LIVE_STATE).snapshotsRetained(3)
            .snapshotOnClose(false);
    }

    private static void awaitSnapshots(final CountersFile counters, final long atLeast)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.get(EngineCounter.SNAPSHOTS) < atLeast && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertTrue(counters.get(EngineCounter.SNAPSHOTS) >= atLeast,
            "snapshots " + counters.get(EngineCounter.SNAPSHOTS));
        assertEquals(0, counters.get(EngineCounter.SNAPSHOT_FAILURES), "no snapshot failure");
    }
}
