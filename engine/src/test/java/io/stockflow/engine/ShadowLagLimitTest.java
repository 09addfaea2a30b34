package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.ApplyProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.awaitRelease;
import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shadow lag limit ({@code EngineConfig.Builder.shadowLagLimit}): with the shadow state held
 * still (its replay blocked before its first command), the publisher admits commands up to the
 * limit ahead of it, then refuses PLACE, RESTOCK and ADJUST with BACKPRESSURE, counted, leaving no
 * trace, while the critical commands still pass; once the shadow state moves on, so does
 * admission. A shadow state that failed lifts the limit, and without a shadow state there is none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowLagLimitTest
{
    private static final long LIMIT = 100;

    @TempDir
    Path directory;

    @Test
    void commandsThatWouldTakeThePublisherPastTheLimitAreRefusedUntilTheShadowStateCatchesUp() throws Exception
    {
        final CountDownLatch shadowMayApply = new CountDownLatch(1);
        final ApplyProbe holdShadow = (sequence, command) -> awaitRelease(shadowMayApply);
        final EngineConfig config = testConfig(directory).shadowLagLimit(LIMIT).shadowApplyProbe(holdShadow)
            .snapshotEveryEvents(1_000_000).snapshotOnClose(false).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            assertTrue(engine.awaitShadowRebuilt(Duration.ofSeconds(30)), "the shadow state is rebuilt at start");
            final CommandPublisher publisher = engine.publisher();
            try
            {
                assertEquals(LIMIT, engine.counters().get(EngineCounter.SHADOW_LAG_LIMIT));
                assertEquals(1, publisher.restock(1_000, 1, 1_000_000));
                for (long sequence = 2; sequence <= LIMIT; sequence++)
                {
                    assertEquals(sequence, publisher.place(1_001, sequence, 1, 0).line(1, 1, 1).publish(),
                        "admitted " + sequence + " ahead of a shadow state at 0");
                }
                assertEquals(PublishRefusal.BACKPRESSURE, publisher.place(1_002, 999, 1, 0).line(1, 1, 1).publish(),
                    "PLACE refused past the limit");
                assertEquals(PublishRefusal.BACKPRESSURE, publisher.restock(1_002, 2, 5), "RESTOCK refused");
                assertEquals(PublishRefusal.BACKPRESSURE, publisher.adjust(1_002, 1, -1), "ADJUST refused");
                assertEquals(LIMIT + 1, publisher.cancel(1_003, 2), "CANCEL is never refused for the shadow's lag");
                assertEquals(LIMIT + 2, publisher.ship(1_003, 3), "nor is SHIP");
                assertEquals(PublishRefusal.BACKPRESSURE, publisher.place(1_004, 999, 1, 0).line(1, 1, 1).tryPublish(),
                    "still refused: the shadow state has not moved");
                assertEquals(LIMIT + 3, publisher.nextSequence(), "refused commands took no sequence");
                assertEquals(4, engine.counters().get(EngineCounter.REFUSED_SHADOW_LAG));
                assertEquals(0, engine.counters().get(EngineCounter.REFUSED_BACKPRESSURE_NORMAL),
                    "the ring itself was never short");
            }
            finally
            {
                shadowMayApply.countDown();
            }
            assertTrue(engine.awaitReleased(LIMIT + 2, Duration.ofSeconds(30)));
            final long admitted = publishUntilAdmitted(publisher, 999);
            assertEquals(LIMIT + 3, admitted, "admitted again once the shadow state caught up");
            assertTrue(engine.awaitReleased(admitted, Duration.ofSeconds(30)));
            assertEquals(liveHash(engine), fullReplayHash(directory),
                "the journal holds exactly what was admitted");
        }
    }

    @Test
    void aShadowStateThatFailedLiftsTheLimit() throws Exception
    {
        final ApplyProbe failShadow = (sequence, command) ->
        {
            throw new IllegalStateException("injected shadow-only failure at " + sequence);
        };
        final EngineConfig config = testConfig(directory).shadowLagLimit(LIMIT).shadowApplyProbe(failShadow)
            .snapshotEveryEvents(1_000_000).snapshotOnClose(false).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            assertEquals(1, publisher.restock(1_000, 1, 1_000_000));
            awaitSnapshotFailure(engine);
            for (long sequence = 2; sequence <= 3 * LIMIT; sequence++)
            {
                assertEquals(sequence, publisher.place(1_001, sequence, 1, 0).line(1, 1, 1).publish());
            }
            assertEquals(0, engine.counters().get(EngineCounter.REFUSED_SHADOW_LAG));
        }
    }

    @Test
    void withoutAShadowStateThereIsNoLimit() throws InterruptedException
    {
        final EngineConfig config = testConfig(directory).shadowLagLimit(1).snapshotEveryEvents(0)
            .snapshotOnClose(false).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            assertTrue(engine.awaitShadowRebuilt(Duration.ofMillis(1)), "no shadow state to wait for");
            final CommandPublisher publisher = engine.publisher();
            for (long sequence = 1; sequence <= 50; sequence++)
            {
                assertEquals(sequence, publisher.restock(1_000, sequence, 5));
            }
            assertEquals(0, engine.counters().get(EngineCounter.SHADOW_LAG_LIMIT));
            assertEquals(0, engine.counters().get(EngineCounter.REFUSED_SHADOW_LAG));
        }
    }

    private static long publishUntilAdmitted(final CommandPublisher publisher, final long order)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long result;
        do
        {
            result = publisher.place(1_005, order, 1, 0).line(1, 1, 1).publish();
        }
        while (result == PublishRefusal.BACKPRESSURE && System.nanoTime() < deadline);
        return result;
    }

    private static void awaitSnapshotFailure(final StockflowEngine engine) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.counters().get(EngineCounter.SNAPSHOT_FAILURES) == 0)
        {
            assertTrue(System.nanoTime() < deadline, "the shadow state did not fail");
            Thread.sleep(5);
        }
    }
}
