package io.stockflow.engine;

import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnginePipelineTest
{
    @TempDir
    Path directory;

    @Test
    void outcomesArriveInSequenceOrderWithExpiriesBeforeTheirTriggeringEvent()
    {
        final RecordingListener listener = new RecordingListener();
        try (StockflowEngine engine = StockflowEngine.builder(EngineTestSupport.defaultConfig(directory).build())
            .outcomeListener(listener).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            assertEquals(1, publisher.restock(1_000, 1, 10));
            assertEquals(2, publisher.place(1_001, 10, 7, 100).line(1, 4, 1999).publish());
            assertEquals(3, publisher.place(1_002, 11, 7, 0).line(1, 7, 1999).publish());
            assertEquals(4, publisher.cancel(1_200, 10));
            assertTrue(engine.awaitReleased(4, Duration.ofSeconds(10)));
            assertEquals(List.of("1 RESTOCK ACCEPTED", "2 PLACE ACCEPTED", "3 PLACE INSUFFICIENT_STOCK",
                "4 EXPIRED 10", "4 CANCEL INVALID_STATE"), listener.events());
        }
    }

    @Test
    void restartRecoversTheSameStateHashAndContinuesTheSequence()
    {
        final long hashBefore;
        final long lastSequence;
        final EngineConfig config = EngineTestSupport.defaultConfig(directory).snapshotEveryEvents(5_000).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            lastSequence = publishWorkload(engine, 42, 20_000);
            assertTrue(engine.awaitReleased(lastSequence, Duration.ofSeconds(30)));
            hashBefore = engine.query(FulfillmentRulesHash.INSTANCE).join();
        }
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            assertTrue(engine.recovery().snapshot() != null, "recovered from a snapshot");
            assertEquals(hashBefore, engine.query(FulfillmentRulesHash.INSTANCE).join());
            assertEquals(lastSequence + 1, engine.publisher().restock(CommandPublisher.NOW, 1, 1));
        }
    }

    @Test
    void aLatencyRecorderGetsEachCommandsStageTimestampsBetweenItsPublishAndItsRelease()
    {
        // Without a recorder the journal and logic stages read no clock; with one, every stamp is taken.
        final List<long[]> stamps = new CopyOnWriteArrayList<>();
        try (StockflowEngine engine = StockflowEngine.builder(EngineTestSupport.defaultConfig(directory).build())
            .latencyRecorder((published, journaled, applied, released) -> stamps
                .add(new long[] {published, journaled, applied, released}))
            .build())
        {
            engine.start();
            final long last = publishWorkload(engine, 7, 200);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
        }
        assertEquals(200, stamps.size());
        for (final long[] stamp : stamps)
        {
            // Journaled and applied in either order: the parallel topology journals and applies at once.
            assertTrue(stamp[0] != 0 && stamp[0] <= stamp[1] && stamp[1] <= stamp[3] && stamp[0] <= stamp[2]
                && stamp[2] <= stamp[3], "published, journaled, applied, released: " + Arrays.toString(stamp));
        }
    }

    static long publishWorkload(final StockflowEngine engine, final long seed, final int events)
    {
        final WorkloadGenerator generator = new WorkloadGenerator(seed, 500);
        final GeneratedCommand command = new GeneratedCommand();
        final BackpressureRetry retry =
            new BackpressureRetry(engine.publisher(), RetryBackoff.forPlan(engine.affinityPlan()),
                Duration.ofMinutes(1));
        long last = 0;
        for (int i = 0; i < events; i++)
        {
            generator.next(command);
            final long result = retry.publish(command, command.ts());
            assertTrue(result > 0, "publish refused: " + PublishRefusal.name(result));
            last = result;
        }
        return last;
    }

    /** Reads the state hash on the logic thread. */
    enum FulfillmentRulesHash implements StateQuery<Long>
    {
        INSTANCE;

        @Override
        public Long query(final io.stockflow.engine.rules.StateView state)
        {
            return state.stateHash();
        }
    }
}
