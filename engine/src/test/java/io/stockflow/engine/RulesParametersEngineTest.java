package io.stockflow.engine;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.rules.RuleParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule parameters through the embedded engine: a new directory's parameters record,
 * RULES, a full engine that goes on serving everything else, forgetting across a restart,
 * and the clock-ahead admission.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RulesParametersEngineTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;

    @TempDir
    Path directory;

    @Test
    void aFullEngineRefusesNewOrdersAndSkusAndGoesOnServingEverythingElseAcrossARestart()
    {
        final long hash;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory)
            .ruleParameters(MINUTE, 3, 1).maxClockAheadMs(0).build()).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            publisher.restock(T0, 1, 100);
            publisher.restock(T0, 2, 100);
            for (long order = 1; order <= 5; order++)
            {
                publisher.place(T0, order, 7, 0).line(1, 1, 10).publish();
            }
            publisher.ship(T0, 1);
            publisher.cancel(T0, 2);
            publisher.restock(T0, 1, 5);
            final long last = publisher.rules(T0 + MINUTE, CommandFields.SKU_CAPACITY_GIVEN, 0, 0, 2);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            assertEquals(2, engine.query(state -> state.orderCapacityRefusals()).join().longValue());
            assertEquals(1, engine.query(state -> state.skuCapacityRefusals()).join().longValue());
            assertEquals(104, engine.query(state -> state.onHand(1)).join().longValue(),
                "an existing SKU is still restocked and shipped from");
            assertEquals(1, engine.query(state -> state.reserved(1)).join().longValue());
            assertEquals(1, engine.query(state -> state.orderCount()).join().intValue(),
                "the SHIPPED and CANCELLED orders forgotten one retention after they settled");
            assertEquals(2, engine.query(state -> state.ordersForgotten()).join().longValue());
            hash = liveHash(engine);
        }
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).maxClockAheadMs(0).build()).build())
        {
            engine.start();
            assertEquals(hash, liveHash(engine), "restored with its parameters and changedAt");
            assertNotNull(engine.recovery().snapshot(), "restarted from the snapshot the clean close wrote");
            assertEquals(2, engine.query(state -> state.orderCapacityRefusals()).join().longValue(),
                "the refusal counts come back with the snapshot, as a full replay would count them");
            assertEquals(1, engine.query(state -> state.skuCapacityRefusals()).join().longValue());
            final long next = engine.publisher().restock(T0 + MINUTE, 2, 1);
            assertTrue(engine.awaitReleased(next, Duration.ofSeconds(30)));
            assertEquals(2, engine.query(state -> state.skuCapacity()).join().longValue());
            assertTrue(engine.query(state -> state.hasSku(2)).join(), "the raised capacity takes the new SKU");
            assertEquals(2, engine.query(state -> state.ordersForgotten()).join().longValue());
            assertEquals(liveHash(engine), fullReplayHash(directory), "a replay from the parameters record agrees");
        }
    }

    @Test
    void aTsTooFarAheadOfTheClockIsRefusedByThePublishCallAndNotJournaled()
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).clockMs(() -> T0)
            .maxClockAheadMs(MINUTE).build()).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            assertEquals(PublishRefusal.CLOCK_AHEAD, publisher.restock(T0 + MINUTE + 1, 1, 1));
            assertEquals("CLOCK_AHEAD", PublishRefusal.name(PublishRefusal.CLOCK_AHEAD));
            final long accepted = publisher.restock(T0 + MINUTE, 1, 1);
            assertEquals(1, accepted, "the refused command took no sequence");
            assertTrue(engine.awaitReleased(accepted, Duration.ofSeconds(30)));
            assertEquals(1, engine.counters().get(EngineCounter.REFUSED_CLOCK_AHEAD));
            assertThrows(IllegalArgumentException.class, () -> publisher.restock(Long.MIN_VALUE + 1, 1, 1),
                "a ts far in the past is out of range, not ahead of the clock (ts - clock would overflow)");
            assertEquals(1, engine.counters().get(EngineCounter.REFUSED_CLOCK_AHEAD));
        }
    }

    @Test
    void aTsOutsideTheTimeRangeIsRefusedByThePublishCallAndNotJournaled()
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).clockMs(() -> T0)
            .maxClockAheadMs(0).build()).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            for (final long ts : new long[] {-1, RuleParameters.MAX_TIME_MS + 1, Long.MAX_VALUE})
            {
                final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> publisher.restock(ts, 1, 1), "ts=" + ts);
                assertTrue(e.getMessage().contains("ts=" + ts + " is outside 0.." + RuleParameters.MAX_TIME_MS),
                    e.getMessage());
            }
            assertThrows(IllegalArgumentException.class,
                () -> publisher.place(RuleParameters.MAX_TIME_MS + 1, 7, 1, 0).line(1, 1, 1).publish());
            final long accepted = publisher.restock(RuleParameters.MAX_TIME_MS, 1, 1);
            assertEquals(1, accepted, "the refused calls took no sequence");
            assertTrue(engine.awaitReleased(accepted, Duration.ofSeconds(30)));
            assertEquals(RuleParameters.MAX_TIME_MS, engine.query(state -> state.eventTime()).join().longValue());
            assertEquals(liveHash(engine), fullReplayHash(directory), "the journal holds the accepted command only");
        }
    }
}
