package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.snapshot.SnapshotSource;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.testing.ChildJvm;
import net.openhft.chronicle.core.shutdown.PriorityHook;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An engine closed from a JVM shutdown hook (a service's usual way to stop, and {@code stockflow run}'s on
 * Ctrl-C) writes its snapshot on close. Chronicle Map closes every map it tracks from a shutdown hook of its
 * own and refuses new ones after that, so a snapshot written then failed, or one being written had its map
 * closed under it. The child closes its engine after Chronicle Map's hook has run, the order that failed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CloseInAShutdownHookTest
{
    private static final int COMMANDS = 2_500;
    /** Chronicle Map registers its close-all with this priority; a greater one runs after it. */
    private static final int AFTER_CHRONICLE_MAP_HOOK = 90;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(SnapshotSource.class)
    void anEngineClosedAfterChronicleMapsShutdownHookWritesItsSnapshot(final SnapshotSource source) throws Exception
    {
        try (ChildJvm child = ChildJvm.start(true, Child.class, directory.toString(),
            EngineTestSupport.testedPipeline().name(), source.name()))
        {
            final String closed = child.awaitLine("closed", 120);
            assertEquals(0, child.waitForExit(60), child.stderrText());
            assertEquals("closed at " + COMMANDS, closed, child.stderrText());
        }
        final List<Path> snapshots = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory)).listNewestFirst();
        assertEquals(COMMANDS, SnapshotStore.sequenceOf(snapshots.get(0)), "the close's snapshot: " + snapshots);
        // The load checks every row against the snapshot's recorded hash.
        SnapshotStore.loadInto(snapshots.get(0), new StateRestorer(new FulfillmentRules(ExpiryListener.NONE)));
    }

    /** Runs an engine to a periodic snapshot, then exits and closes it from a hook after Chronicle Map's. */
    public static final class Child
    {
        private Child()
        {
        }

        /**
         * @param args the engine directory, the pipeline and the snapshot source
         */
        public static void main(final String[] args)
        {
            final StockflowEngine engine = StockflowEngine.builder(testConfig(Path.of(args[0]))
                .pipeline(PipelineKind.valueOf(args[1])).snapshotSource(SnapshotSource.valueOf(args[2]))
                .snapshotEveryEvents(1_000).snapshotOnClose(true).build()).build();
            engine.start();
            final long last = publishMixed(engine, 5, COMMANDS, 0.05);
            if (!engine.awaitReleased(last, Duration.ofSeconds(60)))
            {
                throw new IllegalStateException("the engine did not release " + last);
            }
            // A periodic snapshot made a map, so Chronicle Map's shutdown hook is registered.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (engine.counters().get(EngineCounter.SNAPSHOTS) < 1 && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            PriorityHook.add(AFTER_CHRONICLE_MAP_HOOK, () ->
            {
                engine.close();
                System.out.println("closed at " + last);
                System.out.flush();
            });
            System.exit(0);
        }
    }
}
