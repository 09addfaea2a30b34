package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.ExpectedUncaughtExceptions;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.stockflow.engine.EngineTestSupport.awaitRelease;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's JFR events, recorded with a {@link Recording}, dumped and parsed
 * with {@link RecordingFile}: snapshots written on the snapshot thread, recovery
 * at restart, one back-pressure episode for many refusals, a journal roll-over,
 * and a halt, each with sensible fields.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JfrEventsTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path directory;

    @Test
    @SuppressWarnings("try") // close() inside try-with-resources on purpose: the test checks what close leaves
    void snapshotsRecoveryAndRollOverAreRecorded() throws Exception
    {
        final Path engineDirectory = directory.resolve("engine");
        final List<RecordedEvent> events = record(() ->
        {
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(engineDirectory)
                .rollCycle(JournalRollCycle.TEST_SECONDLY).snapshotEveryEvents(100).build()).build())
            {
                engine.start();
                final CommandPublisher publisher = engine.publisher();
                for (int i = 1; i <= 150; i++)
                {
                    publisher.restock(T0 + i, 1 + i % 10, 5);
                }
                assertTrue(engine.awaitReleased(150, Duration.ofSeconds(10)));
                awaitCounter(engine, EngineCounter.SNAPSHOTS, 1);
                Thread.sleep(1_100);
                for (int i = 151; i <= 200; i++)
                {
                    publisher.restock(T0 + i, 1 + i % 10, 5);
                }
                assertTrue(engine.awaitReleased(200, Duration.ofSeconds(10)));
                engine.close();
                assertTrue(engine.counters().get(EngineCounter.JOURNAL_ROLL_OVERS) >= 1,
                    "a second passed between the two bursts: the secondly journal rolled over");
            }
            try (StockflowEngine restarted = StockflowEngine.builder(testConfig(engineDirectory)
                .rollCycle(JournalRollCycle.TEST_SECONDLY).snapshotOnClose(false).build()).build())
            {
                restarted.start();
            }
        });

        final List<RecordedEvent> snapshots = ofType(events, "io.stockflow.Snapshot");
        assertTrue(snapshots.size() >= 2, "one snapshot by count, one on close: " + snapshots);
        final RecordedEvent bySnapshotThread = snapshots.get(0);
        assertTrue(bySnapshotThread.getThread().getJavaName().startsWith("stockflow-snapshot"),
            bySnapshotThread.getThread().getJavaName());
        assertTrue(bySnapshotThread.getLong("sequence") >= 100 && bySnapshotThread.getLong("sequence") <= 150);
        assertTrue(bySnapshotThread.getLong("bytes") > 0);
        assertTrue(bySnapshotThread.getBoolean("succeeded"));
        assertFalse(bySnapshotThread.getDuration().isNegative());
        assertEquals(200, snapshots.get(snapshots.size() - 1).getLong("sequence"), "the snapshot on close");

        final List<RecordedEvent> recoveries = ofType(events, "io.stockflow.Recovery");
        assertEquals(2, recoveries.size(), "one per start");
        assertEquals(0, recoveries.get(0).getLong("lastSequence"), "the first start recovered an empty journal");
        final RecordedEvent restart = recoveries.get(1);
        assertEquals(200, restart.getLong("lastSequence"));
        assertEquals(0, restart.getLong("eventsReplayed"), "the snapshot on close left no tail to replay");
        assertTrue(restart.getString("snapshot").contains("200"), restart.getString("snapshot"));
        assertEquals(engineDirectory.toString(), restart.getString("directory"));
        assertTrue(restart.getDuration().toNanos() > 0, "its duration is the recovery");

        final List<RecordedEvent> rolls = ofType(events, "io.stockflow.JournalRoll");
        assertTrue(rolls.stream().anyMatch(roll -> roll.getLong("firstSequence") == 151),
            "the roll-over before the second burst's first record is recorded: " + rolls);
    }

    @Test
    @ExpectedUncaughtExceptions("StageHaltedException")
    void oneBackpressureEpisodeForManyRefusalsAndAHaltAreRecorded() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final OutcomeListener blocking =
            (sequence, eventTimeMs, type, entityId, rejectReason, logicError) -> awaitRelease(release);
        final ApplyProbe failAtTen = (sequence, command) ->
        {
            if (sequence == 10)
            {
                throw new IllegalStateException("probe failure at 10");
            }
        };
        final long[] refused = new long[1];
        final List<RecordedEvent> events = record(() ->
        {
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory.resolve("shed")).ringSize(64)
                .snapshotEveryEvents(0).snapshotOnClose(false).build()).outcomeListener(blocking).build())
            {
                engine.start();
                final CommandPublisher publisher = engine.publisher();
                publisher.restock(T0, 1, 1_000_000);
                long order = 1;
                while (publisher.place(T0, order, 1, 0).line(1, 1, 1).publish() > 0)
                {
                    order++;
                }
                refused[0] = 1;
                for (int i = 0; i < 4; i++)
                {
                    assertEquals(PublishRefusal.BACKPRESSURE, publisher.place(T0, order, 1, 0).line(1, 1, 1).publish());
                    refused[0]++;
                }
                release.countDown();
                final long accepted = publisher.cancel(T0, 1);
                assertTrue(accepted > 0, "a critical command waits for a slot and ends the episode");
                assertTrue(engine.awaitReleased(accepted, Duration.ofSeconds(10)));
                assertEquals(1, engine.counters().get(EngineCounter.BACKPRESSURE_EPISODES));
                assertEquals(refused[0], engine.counters().get(EngineCounter.REFUSED_BACKPRESSURE_NORMAL));
            }
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory.resolve("halt"))
                .applyProbe(failAtTen).snapshotEveryEvents(0).build()).build())
            {
                engine.start();
                for (int i = 1; i <= 10; i++)
                {
                    engine.publisher().restock(T0, i, 1);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (engine.lifecycle() != EngineLifecycle.HALTED && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                assertEquals(EngineLifecycle.HALTED, engine.lifecycle());
            }
        });

        final List<RecordedEvent> episodes = ofType(events, "io.stockflow.BackpressureEpisode");
        assertEquals(1, episodes.size(), "one event per episode, not per refusal: " + episodes);
        final RecordedEvent episode = episodes.get(0);
        assertEquals(refused[0], episode.getLong("refusals"));
        assertTrue(episode.getLong("lowestFreeSlots") < 16, "below the PLACE watermark of 16 of 64 free");
        assertEquals(0, episode.getLong("shadowLagRefusals"), "the ring was full, not the shadow behind");
        assertTrue(episode.getDuration().toNanos() > 0);

        final List<RecordedEvent> halts = ofType(events, "io.stockflow.Halt");
        assertEquals(1, halts.size(), "one halt: " + halts);
        assertTrue(
            halts.get(0).getString("reason")
                .contains(EngineTestSupport.applyingStage() + " stage failed at sequence 10"),
            halts.get(0).getString("reason"));
        assertTrue(halts.get(0).getString("cause").contains("probe failure at 10"), halts.get(0).getString("cause"));
    }

    /**
     * Refusals at the shadow lag limit are an episode like any other, and the event says how many of
     * its refusals were for the shadow state's lag.
     */
    @Test
    void anEpisodeAtTheShadowLagLimitSaysSo() throws Exception
    {
        final CountDownLatch shadowMayApply = new CountDownLatch(1);
        final ApplyProbe holdShadow = (sequence, command) -> awaitRelease(shadowMayApply);
        final EngineConfig config = testConfig(directory).shadowLagLimit(10).shadowApplyProbe(holdShadow)
            .snapshotEveryEvents(1_000_000).snapshotOnClose(false).build();
        final List<RecordedEvent> events = record(() ->
        {
            try (StockflowEngine engine = StockflowEngine.builder(config).build())
            {
                engine.start();
                final CommandPublisher publisher = engine.publisher();
                try
                {
                    for (long sku = 1; sku <= 10; sku++)
                    {
                        assertEquals(sku, publisher.restock(1_000, sku, 5));
                    }
                    for (int i = 0; i < 3; i++)
                    {
                        assertEquals(PublishRefusal.BACKPRESSURE, publisher.restock(1_001, 1, 5));
                    }
                    assertEquals(11, publisher.cancel(1_002, 7), "a critical command ends the episode");
                }
                finally
                {
                    shadowMayApply.countDown();
                }
            }
        });

        final List<RecordedEvent> episodes = ofType(events, "io.stockflow.BackpressureEpisode");
        assertEquals(1, episodes.size(), "one episode: " + episodes);
        assertEquals(3, episodes.get(0).getLong("refusals"));
        assertEquals(3, episodes.get(0).getLong("shadowLagRefusals"));
    }

    /** An engine scenario that may throw. */
    @FunctionalInterface
    private interface Scenario
    {
        void run() throws Exception;
    }

    private List<RecordedEvent> record(final Scenario scenario) throws Exception
    {
        final Path dump = directory.resolve("recording-" + System.nanoTime() + ".jfr");
        try (Recording recording = new Recording())
        {
            for (final String type : List.of("io.stockflow.Recovery", "io.stockflow.Snapshot", "io.stockflow.Halt",
                "io.stockflow.BackpressureEpisode", "io.stockflow.JournalRoll"))
            {
                recording.enable(type).withoutStackTrace().withThreshold(Duration.ZERO);
            }
            recording.start();
            scenario.run();
            recording.stop();
            recording.dump(dump);
        }
        return RecordingFile.readAllEvents(dump).stream()
            .filter(event -> event.getEventType().getName().startsWith("io.stockflow."))
            .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
            .collect(Collectors.toList());
    }

    private static List<RecordedEvent> ofType(final List<RecordedEvent> events, final String name)
    {
        return events.stream().filter(event -> event.getEventType().getName().equals(name))
            .collect(Collectors.toList());
    }

    private static void awaitCounter(final StockflowEngine engine, final EngineCounter counter, final long atLeast)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.counters().get(counter) < atLeast && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(engine.counters().get(counter) >= atLeast, counter + " reached " + atLeast);
    }
}
