package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.Stages;
import io.stockflow.affinity.WaitStrategyKind;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.fullReplayHash;
import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine works the same under every wait strategy on every pipeline stage of the tested
 * topology ({@link EngineTestSupport#testedPipeline()}: journal, logic and outcome, or fused): each
 * strategy on one stage at a time (the others blocking, so a spinning stage has a CPU
 * of its own on a 2-CPU machine), in {@code required} mode so a silent fallback fails
 * the start instead of testing something else. Every outcome is released and the live
 * state equals a full replay of the journal.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EveryWaitStrategyTest
{
    @TempDir
    Path directory;

    static Stream<Arguments> stageAndStrategy()
    {
        final List<Arguments> cases = new ArrayList<>();
        final List<String> hotStages = EngineTestSupport.testedPipeline() == PipelineKind.FUSED ? List.of(Stages.FUSED)
            : List.of(Stages.JOURNAL, Stages.LOGIC, Stages.OUTCOME);
        for (final String stage : hotStages)
        {
            for (final WaitStrategyKind kind : WaitStrategyKind.values())
            {
                cases.add(Arguments.of(stage, kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stageAndStrategy")
    void everyOutcomeIsReleasedAndTheStateEqualsAReplay(final String stage, final WaitStrategyKind kind)
        throws IOException
    {
        final StringBuilder text = new StringBuilder("mode = required\n");
        for (final String each : Stages.all())
        {
            text.append("stage.").append(each).append(".cpu = none\n");
            text.append("stage.").append(each).append(".wait = ")
                .append(each.equals(stage) ? kind.fileName() : "blocking")
                .append('\n');
        }
        final AffinityPlan plan = AffinityPlan.parse(new StringReader(text.toString()), "test plan");
        final long hash;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).affinityPlan(plan).build())
            .build())
        {
            engine.start();
            assertEquals(kind, engine.affinityPlan().stage(stage).waitEffective(), engine.affinityPlan().toTable());
            final long last = publishMixed(engine, 31, 5_000, 0.1);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)), "every outcome released");
            hash = liveHash(engine);
        }
        assertEquals(fullReplayHash(directory), hash);
    }
}
