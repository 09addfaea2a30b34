package io.stockflow.engine;

import io.stockflow.engine.pipeline.PipelineKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused topology (one thread journals, applies, commits, releases) is the same
 * engine as the parallel one seen from outside: the same outcomes in the same order,
 * the same state, a journal whose replay gives that state, and a restart that recovers
 * it from the snapshot taken on close.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FusedPipelineTest
{
    private static final int COMMANDS = 20_000;

    @TempDir
    Path parallelDirectory;

    @TempDir
    Path fusedDirectory;

    @Test
    void fusedTopologyReleasesTheSameOutcomesAndStateAsTheParallelOne()
    {
        final Run parallel = run(parallelDirectory, PipelineKind.PARALLEL);
        final Run fused = run(fusedDirectory, PipelineKind.FUSED);

        assertEquals(COMMANDS, fused.outcomes.stream().filter(outcome -> !outcome.contains(" EXPIRED ")).count(),
            "every result released once");
        assertEquals(parallel.outcomes, fused.outcomes);
        assertEquals(parallel.hash, fused.hash);
        assertEquals(fused.hash, fullReplayHash(fusedDirectory), "the fused journal replays to the live state");
    }

    @Test
    void fusedEngineRecoversItsStateFromTheSnapshotTakenOnClose()
    {
        final long hash = run(fusedDirectory, PipelineKind.FUSED).hash;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(fusedDirectory)
            .pipeline(PipelineKind.FUSED).build()).build())
        {
            engine.start();
            assertNotNull(engine.recovery().snapshot(), "recovered from the snapshot taken on close");
            assertEquals(hash, liveHash(engine));
            assertEquals(COMMANDS + 1, engine.publisher().restock(CommandPublisher.NOW, 1, 1));
        }
    }

    private static Run run(final Path directory, final PipelineKind kind)
    {
        final RecordingListener listener = new RecordingListener();
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).pipeline(kind).build())
            .outcomeListener(listener).build())
        {
            engine.start();
            final long last = publishMixed(engine, 17, COMMANDS, 0.1);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)), "every outcome released");
            final long hash = liveHash(engine);
            return new Run(listener.events(), hash);
        }
    }

    private record Run(List<String> outcomes, long hash)
    {}
}
