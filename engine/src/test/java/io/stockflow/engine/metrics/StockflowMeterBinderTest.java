package io.stockflow.engine.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.counters.EngineCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StockflowMeterBinderTest
{
    @TempDir
    Path directory;

    @Test
    void registryShowsTheEngineCountersAfterCommandsRun()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StockflowEngine engine =
            StockflowEngine.builder(EngineTestSupport.defaultConfig(directory).build()).build())
        {
            engine.start();
            new StockflowMeterBinder(engine.counters(), "shop").bindTo(registry);
            final CommandPublisher publisher = engine.publisher();
            publisher.restock(1_000, 1, 10);
            publisher.place(1_001, 10, 7, 0).line(1, 4, 1999).publish();
            final long last = publisher.place(1_002, 11, 7, 0).line(1, 70, 1999).publish();
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(10)));

            assertEquals(2.0, registry.get("stockflow.logic.accepted").tag("engine", "shop").functionCounter().count());
            assertEquals(1.0, registry.get("stockflow.logic.rejected.insufficient.stock").functionCounter().count());
            assertEquals(3.0, registry.get("stockflow.outcome.sequence").gauge().value());
            assertEquals(1.0, registry.get("stockflow.logic.skus").gauge().value());
        }
    }

    @Test
    void meterNamesDropTheRepeatedStagePrefix()
    {
        assertEquals("stockflow.journal.committed.sequence",
            StockflowMeterBinder.meterName(EngineCounter.JOURNAL_COMMITTED_SEQUENCE));
        assertEquals("stockflow.publisher.refused.backpressure.normal",
            StockflowMeterBinder.meterName(EngineCounter.REFUSED_BACKPRESSURE_NORMAL));
    }
}
