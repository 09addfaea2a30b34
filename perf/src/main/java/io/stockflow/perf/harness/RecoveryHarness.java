package io.stockflow.perf.harness;

import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRollCycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Recovery from the newest snapshot plus the journal tail after it, against a full
 * replay of the same journal: the figure that says when snapshots pay off. One
 * journal of the demo's mix is built with a single snapshot placed so that exactly
 * the requested tail follows it; then both recoveries run, alternating, through the
 * same code the engine runs at start ({@link Recovery#recover}), each into rules
 * presized as the engine presizes them, and must reach the same state hash.
 */
public final class RecoveryHarness
{
    private static final int EXPECTED_SKUS = DemoWorkload.SKUS * 2;

    private RecoveryHarness()
    {
    }

    /**
     * Builds the journal: {@code events} commands, one snapshot after {@code events - tail} of them.
     *
     * @param directory a fresh engine directory.
     * @param events    commands in the journal.
     * @param tail      commands after the snapshot; less than half of {@code events}.
     * @return the sequence of the snapshot written.
     */
    public static long buildJournal(final Path directory, final long events, final long tail)
    {
        BenchCheckException.check(tail > 0 && 2 * tail < events, "need 0 < tail < events / 2, was tail " + tail
            + " of " + events);
        final EngineConfig config = EngineConfig.builder(directory)
            .rollCycle(JournalRollCycle.HOURLY)
            .snapshotEveryEvents(events - tail)
            .snapshotOnClose(false)
            .expectedState(EXPECTED_SKUS, expectedOrders(events))
            .build();
        final WorkloadGenerator generator = DemoWorkload.generator();
        final GeneratedCommand command = new GeneratedCommand();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            final BackpressureRetry retry = new BackpressureRetry(publisher,
                RetryBackoff.forPlan(engine.affinityPlan()), Duration.ofMinutes(1));
            long last = 0;
            for (long i = 0; i < events; i++)
            {
                generator.next(command);
                final long result = retry.publish(command, command.ts());
                BenchCheckException.check(result > 0, "engine refused a command: " + PublishRefusal.name(result));
                last = result;
            }
            BenchCheckException.check(engine.awaitReleased(last, Duration.ofMinutes(5)), "outcomes not released");
            // The snapshot is written by the snapshot thread once the journal has committed its sequence.
            final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (new SnapshotStore(config.snapshotDirectory()).listNewestFirst().isEmpty()
                && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(1_000_000);
            }
        }
        final SnapshotStore store = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
        BenchCheckException.check(store.listNewestFirst().size() == 1, "expected one snapshot, found "
            + store.listNewestFirst());
        return SnapshotStore.sequenceOf(store.listNewestFirst().get(0));
    }

    /**
     * @param directory    the engine directory {@link #buildJournal} built.
     * @param useSnapshots true: newest snapshot plus tail; false: full replay.
     * @return the recovery's result (elapsed time, snapshot, replayed events, state).
     */
    public static Recovery.RecoveryResult recover(final Path directory, final boolean useSnapshots, final long events)
    {
        // An engine recovers at the start of a new process, on an empty heap, not on the last recovery's tables.
        SettledHeap.collect();
        final JournalReplayer.RulesFactory presized =
            listener -> new FulfillmentRules(listener, EXPECTED_SKUS, expectedOrders(events));
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            return Recovery.recover(
                useSnapshots ? new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory)) : null,
                reader, presized, EngineDirectoryRecord.logicFailurePolicy(directory), JournalReplayer.UNBOUNDED,
                JournalReplayer.UNBOUNDED,
                ReplayProgress.NONE, JournalOrigin.of(directory));
        }
    }

    private static int expectedOrders(final long events)
    {
        return (int)Math.min(Integer.MAX_VALUE / 4, events / 2 + 1_024);
    }
}
