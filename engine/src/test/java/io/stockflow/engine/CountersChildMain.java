package io.stockflow.engine;

import java.nio.file.Paths;

/**
 * The child JVM of {@link CountersFromAnotherProcessTest}: runs an engine with its
 * counters file on a directory and publishes a realistic workload, at a modest
 * pace (a millisecond pause every hundred commands, so two cores stay usable and
 * the state stays small), until it is killed.
 *
 * <p>Arguments: engine directory.
 */
public final class CountersChildMain
{
    private CountersChildMain()
    {
    }

    /** @param args engine directory, the parent's tested topology ({@link EngineTestSupport#testedPipelineArgument()}). */
    public static void main(final String[] args)
    {
        EngineTestSupport.takeTestedPipelineFromParent(args[1]);
        final StockflowEngine engine = ChildEngineMain.startAndSignalReady(StockflowEngine.builder(EngineTestSupport
            .testConfig(Paths.get(args[0])).ringSize(4096).snapshotEveryEvents(0).build()).build());
        ChildEngineMain.publishUntilKilled(engine, 7, 100, ChildEngineMain.EXIT_3);
    }
}
