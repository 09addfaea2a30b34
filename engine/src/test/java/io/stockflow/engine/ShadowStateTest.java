package io.stockflow.engine;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.shadow.DivergencePolicy;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
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
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshots come from the shadow state (the journal's committed records applied
 * on the snapshot thread), in both topologies; each snapshot is what a full replay of
 * the journal to its sequence gives; and a live state that stops being the journal's
 * replay is detected at the next checkpoint: counted under ALARM, halting under HALT.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShadowStateTest
{
    private static final long FAILING_SEQUENCE = 300;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(PipelineKind.class)
    void bothTopologiesTakeTheirSnapshotsFromTheShadowStateAndEachIsTheJournalsReplay(final PipelineKind kind)
        throws Exception
    {
        final long last;
        final long hash;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).pipeline(kind)
            .snapshotEveryEvents(1_000).snapshotsRetained(3).stateCheckpointEvery(64).build()).build())
        {
            engine.start();
            last = publishMixed(engine, 11, 6_000, 0.05);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
            final CountersFile counters = engine.counters();
            awaitCounter(counters, EngineCounter.SHADOW_SEQUENCE, sequence -> sequence == last);
            awaitCounter(counters, EngineCounter.SNAPSHOTS, snapshots -> snapshots >= 3);
            assertEquals(last, counters.get(EngineCounter.SHADOW_EVENTS), "the shadow applied every event");
            assertEquals(0, counters.get(EngineCounter.SHADOW_LAG));
            assertTrue(counters.get(EngineCounter.SHADOW_CHECKPOINTS) > 0, "checkpoints compared");
            assertEquals(0, counters.get(EngineCounter.SHADOW_DIVERGENCES));
            assertTrue(counters.get(EngineCounter.SNAPSHOT_LAST_SEQUENCE) <= last);
            final long holdMaxNs = counters.get(EngineCounter.SNAPSHOT_HOLD_MAX_NS);
            System.out.printf("%s: longest logic-stage hold for snapshots %d ns over %d events%n", kind, holdMaxNs,
                last);
            // Not a timing test: the hold is a hash publish, nowhere near a copy of the state.
            assertTrue(holdMaxNs > 0 && holdMaxNs < TimeUnit.MILLISECONDS.toNanos(100), "hold " + holdMaxNs);
            hash = liveHash(engine);
        }

        final SnapshotStore store = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
        final List<Path> snapshots = store.listNewestFirst();
        assertEquals(List.of(6_000L, 5_000L, 4_000L), snapshots.stream().map(SnapshotStore::sequenceOf).toList(),
            "every 1,000 events exactly, the newest 3 retained");
        try (Journal journal = Journal.open(JournalConfig.builder(EngineConfig.journalDirectoryOf(directory)).build()))
        {
            for (final Path snapshot : snapshots)
            {
                final SnapshotMetadata metadata = SnapshotStore.readMetadata(snapshot);
                assertEquals(fullReplayHash(journal, metadata.lastSequence()), metadata.stateHash(),
                    "snapshot " + snapshot.getFileName() + " is the journal's replay to its sequence");
            }
            assertEquals(hash, fullReplayHash(journal, last));
        }
    }

    @Test
    void aLiveStateThatDivergesFromTheJournalsReplayIsCountedAndTheEngineGoesOnUnderAlarm() throws Exception
    {
        final Path dump = directory.resolve("divergence.jfr");
        try (Recording recording = new Recording();
            StockflowEngine engine = StockflowEngine.builder(divergingConfig(DivergencePolicy.ALARM)).build())
        {
            recording.enable("io.stockflow.ShadowDivergence").withoutStackTrace().withThreshold(Duration.ZERO);
            recording.start();
            engine.start();
            // Let the shadow (rebuilt on its own thread at start) reach the checkpoints before the diverging
            // event: checkpoints it reaches only after the live stage published many more can be overwritten.
            restockAndAwaitShadow(engine, 290);
            final long last = restock(engine, 710);
            assertEquals(1_000, last);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            awaitCounter(engine.counters(), EngineCounter.SHADOW_SEQUENCE, sequence -> sequence == last);
            // The count follows the divergence's JFR event, a moment after the comparison: wait for it.
            awaitCounter(engine.counters(), EngineCounter.SHADOW_DIVERGENCES, divergences -> divergences > 0);
            assertTrue(engine.counters().get(EngineCounter.SHADOW_CHECKPOINTS) > 0, "checkpoints before 300 matched");
            assertEquals(EngineLifecycle.RUNNING, engine.lifecycle(), "ALARM does not halt");
            assertTrue(engine.publisher().restock(CommandPublisher.NOW, 1, 1) > 0);
            recording.stop();
            recording.dump(dump);
        }
        // Stockflow's other events are enabled by default and land in any running recording: keep
        // only the divergence events.
        final List<RecordedEvent> events = RecordingFile.readAllEvents(dump).stream()
            .filter(event -> event.getEventType().getName().equals("io.stockflow.ShadowDivergence"))
            .toList();
        assertFalse(events.isEmpty(), "a ShadowDivergence event in JFR");
        assertDivergenceCheckpoint(events.get(0).getLong("sequence"));
        assertFalse(events.get(0).getBoolean("halted"));
    }

    @Test
    void aLiveStateThatDivergesFromTheJournalsReplayHaltsTheEngineUnderHalt() throws Exception
    {
        try (StockflowEngine engine = StockflowEngine.builder(divergingConfig(DivergencePolicy.HALT)).build())
        {
            engine.start();
            restockAndAwaitShadow(engine, 290);
            final long last = restock(engine, 710);
            engine.awaitReleased(last, Duration.ofSeconds(30));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.lifecycle() != EngineLifecycle.HALTED && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertEquals(EngineLifecycle.HALTED, engine.lifecycle());
            final Matcher reason = Pattern.compile("diverged from the journal's replay at sequence (\\d+)")
                .matcher(engine.haltReason());
            assertTrue(reason.find(), engine.haltReason());
            assertDivergenceCheckpoint(Long.parseLong(reason.group(1)));
            assertTrue(engine.counters().get(EngineCounter.SHADOW_DIVERGENCES) >= 1, "counted");
            assertEquals(PublishRefusal.ENGINE_HALTED, engine.publisher().restock(CommandPublisher.NOW, 1, 1));
        }
    }

    /**
     * A divergence is reported at a checkpoint at or after the diverging event: the first one (320) when the
     * shadow keeps up, a later one when the live stage ran so far ahead that the checkpoint ring had moved on.
     */
    private static void assertDivergenceCheckpoint(final long sequence)
    {
        assertTrue(sequence > FAILING_SEQUENCE && sequence % 32 == 0,
            "reported at a checkpoint after sequence " + FAILING_SEQUENCE + ": " + sequence);
    }

    /**
     * The live logic (and its recovery) records a logic error at sequence 300 and skips the
     * event (RECORD_AND_CONTINUE); the shadow state's replay applies it: from 300 on the live
     * state is not the journal's replay, and the first checkpoint after it (320) shows it.
     */
    private EngineConfig divergingConfig(final DivergencePolicy policy)
    {
        final ApplyProbe failAt300 = (sequence, command) ->
        {
            if (sequence == FAILING_SEQUENCE)
            {
                throw new IllegalStateException("injected live-only failure at " + sequence);
            }
        };
        return testConfig(directory).logicFailurePolicy(LogicFailurePolicy.RECORD_AND_CONTINUE)
            .applyProbe(failAt300).shadowApplyProbe(ApplyProbe.NONE).shadowDivergencePolicy(policy)
            .stateCheckpointEvery(32).snapshotEveryEvents(100_000).snapshotOnClose(false).build();
    }

    /** @return the last sequence published; stops at the first refusal (a halt). */
    private static void restockAndAwaitShadow(final StockflowEngine engine, final int count)
    {
        final long last = restock(engine, count);
        assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
        awaitCounter(engine.counters(), EngineCounter.SHADOW_SEQUENCE, sequence -> sequence == last);
    }

    private static long restock(final StockflowEngine engine, final int count)
    {
        final BackpressureRetry retry =
            new BackpressureRetry(engine.publisher(), RetryBackoff.forPlan(engine.affinityPlan()),
                Duration.ofSeconds(30));
        final Restock command = new Restock();
        long last = 0;
        for (int i = 0; i < count; i++)
        {
            command.sku = 1 + i % 50;
            final long sequence = retry.publish(command, CommandPublisher.NOW);
            if (sequence < 0)
            {
                break;
            }
            last = sequence;
        }
        return last;
    }

    /** A RESTOCK of 10 units. */
    private static final class Restock implements CommandFields
    {
        private long sku;

        @Override
        public CommandType type()
        {
            return CommandType.RESTOCK;
        }

        @Override
        public long sku()
        {
            return sku;
        }

        @Override
        public long qty()
        {
            return 10;
        }

        @Override
        public long delta()
        {
            return 0;
        }

        @Override
        public long order()
        {
            return 0;
        }

        @Override
        public long account()
        {
            return 0;
        }

        @Override
        public long ttlMs()
        {
            return 0;
        }

        @Override
        public int lineCount()
        {
            return 0;
        }

        @Override
        public long lineSku(final int lineIndex)
        {
            return 0;
        }

        @Override
        public long lineQty(final int lineIndex)
        {
            return 0;
        }

        @Override
        public long linePrice(final int lineIndex)
        {
            return 0;
        }
    }

    private static long fullReplayHash(final Journal journal, final long toSequence)
    {
        try (JournalReader reader = journal.newReader())
        {
            final Recovery.RecoveryResult replay = Recovery.recover(null, reader, JournalReplayer.RulesFactory.DEFAULT,
                LogicFailurePolicy.HALT, toSequence, JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
            assertEquals(toSequence, replay.replayer().state().lastSequence());
            return replay.replayer().state().stateHash();
        }
    }

    private static void awaitCounter(final CountersFile counters, final EngineCounter counter,
        final LongPredicate condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.test(counters.get(counter)) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertTrue(condition.test(counters.get(counter)), counter + " = " + counters.get(counter));
        assertFalse(counters.get(EngineCounter.SNAPSHOT_FAILURES) > 0, "no snapshot failure");
    }
}
