package io.stockflow.engine;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayHaltedException;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.ExpectedUncaughtExceptions;
import io.stockflow.journal.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's guarantees of DESIGN.md: outcomes in sequence order on one
 * thread, never before their event is journaled; a journal I/O failure and (by
 * default) a logic exception halt the engine fail-stop; with RECORD_AND_CONTINUE
 * a logic exception is recorded and replay does the same at the same event.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineGuaranteesTest
{
    @TempDir
    Path directory;

    @Test
    void outcomesAreReleasedInSequenceOrderOnOneThread()
    {
        final AtomicLong previous = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicReference<Thread> outcomeThread = new AtomicReference<>();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override
            public void onResult(final long sequence, final long eventTimeMs, final CommandType type,
                final long entityId, final RejectReason rejectReason, final boolean logicError)
            {
                check(sequence, true);
            }

            @Override
            public void onOrderExpired(final long sequence, final long orderId)
            {
                check(sequence, false);
            }

            private void check(final long sequence, final boolean result)
            {
                outcomeThread.compareAndSet(null, Thread.currentThread());
                if (outcomeThread.get() != Thread.currentThread())
                {
                    failure.compareAndSet(null, "outcome on a second thread " + Thread.currentThread().getName());
                }
                final long expected = previous.get() + 1;
                if (sequence != expected)
                {
                    failure.compareAndSet(null, "sequence " + sequence + " after " + previous.get());
                }
                if (result)
                {
                    previous.set(sequence);
                }
            }
        };
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build())
            .outcomeListener(listener).build())
        {
            engine.start();
            final long last = publishMixed(engine, 3, 30_000, 0.1);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            assertEquals(last, previous.get());
        }
        assertNull(failure.get());
        assertTrue(outcomeThread.get().getName().startsWith("stockflow-" + EngineTestSupport.releasingStage()),
            outcomeThread.get().getName());
    }

    @Test
    void noOutcomeIsReleasedBeforeItsEventIsInTheJournalOnDisk()
    {
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong checked = new AtomicLong();
        final Path journalDirectory = EngineConfig.journalDirectoryOf(directory);
        final JournalReader[] reader = new JournalReader[1];
        final JournalRecord record = new JournalRecord();
        final long[] lastRead = new long[1];
        final OutcomeListener listener = (sequence, eventTimeMs, type, entityId, rejectReason, logicError) ->
        {
            if (reader[0] == null)
            {
                reader[0] = Journal.openReader(journalDirectory);
            }
            // Follow the journal on disk up to this outcome's record: it must be there to read.
            long onDisk = lastRead[0];
            while (onDisk < sequence && reader[0].readNext(record))
            {
                onDisk = record.sequence();
            }
            lastRead[0] = onDisk;
            if (onDisk < sequence)
            {
                failure.compareAndSet(null, "outcome of " + sequence + " released with the journal at " + onDisk);
            }
            checked.incrementAndGet();
        };
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build())
            .outcomeListener(listener).build())
        {
            engine.start();
            final long last = publishMixed(engine, 9, 20_000, 0.05);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
            assertEquals(last, checked.get());
        }
        finally
        {
            if (reader[0] != null)
            {
                reader[0].close();
            }
        }
        assertNull(failure.get());
    }

    /**
     * A query is answered where outcomes are released, so its answer never shows a
     * command before that command's commit (a power cut under OS_CRASH could still
     * take it back). The listener holds the release of the first restock while a
     * second restock and the query are published, so the two come to the rules in one
     * batch (on the fused topology too), then holds the second restock's release: the
     * rules have run the query by then, but its answer must wait.
     */
    @ParameterizedTest
    @EnumSource(PipelineKind.class)
    void aQueryIsAnsweredOnlyAfterTheCommandsBeforeItAreReleased(final PipelineKind pipeline) throws Exception
    {
        final CountDownLatch firstReleasing = new CountDownLatch(1);
        final CountDownLatch firstHeld = new CountDownLatch(1);
        final CountDownLatch secondReleasing = new CountDownLatch(1);
        final CountDownLatch secondHeld = new CountDownLatch(1);
        final OutcomeListener holdingListener = (sequence, eventTimeMs, type, entityId, rejectReason, logicError) ->
        {
            final boolean first = sequence == 1;
            (first ? firstReleasing : secondReleasing).countDown();
            try
            {
                (first ? firstHeld : secondHeld).await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        };
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).pipeline(pipeline)
            .snapshotEveryEvents(0).build()).outcomeListener(holdingListener).build())
        {
            engine.start();
            assertEquals(1, engine.publisher().restock(CommandPublisher.NOW, 7, 5));
            assertTrue(firstReleasing.await(30, TimeUnit.SECONDS), "the first restock reached the listener");
            assertEquals(2, engine.publisher().restock(CommandPublisher.NOW, 7, 3));
            final CompletableFuture<Long> onHand = engine.query(state -> state.onHand(7));
            firstHeld.countDown();
            assertTrue(secondReleasing.await(30, TimeUnit.SECONDS), "the second restock reached the listener");
            // The rules applied the second restock and ran the query before its batch was released.
            Thread.sleep(300);
            assertFalse(onHand.isDone(), "the query was answered before the command before it was released");
            secondHeld.countDown();
            assertEquals(8L, onHand.get(30, TimeUnit.SECONDS));
        }
    }

    /**
     * The journal on a real, small tmpfs that is then filled: the journal refuses
     * to append while its file system is below its free-space floor (it must, or a
     * mapped write into a full file system would raise SIGBUS), its stage throws,
     * and the engine halts fail-stop.
     */
    @Test
    @SuppressWarnings("try") // close() inside try-with-resources on purpose: the test checks what close leaves
    @ExpectedUncaughtExceptions("StageHaltedException")
    void journalFailureOnAFullDiskHaltsTheEngineFailStop() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mount(directory.resolve("tmpfs"), 96))
        {
            final Path mount = tmpfs.path();
            final Path engineDirectory = mount.resolve("engine");
            final List<Long> released = new CopyOnWriteArrayList<>();
            final OutcomeListener listener =
                (sequence, eventTimeMs, type, entityId, rejectReason, logicError) -> released.add(sequence);
            long lastAccepted = 0;
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(engineDirectory)
                .snapshotOnClose(false).snapshotEveryEvents(0).build()).outcomeListener(listener).build())
            {
                engine.start();
                lastAccepted = publishMixed(engine, 1, 2_000, 0.0);
                assertTrue(engine.awaitReleased(lastAccepted, Duration.ofSeconds(30)));
                tmpfs.fillLeaving(8L << 20);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                long result = 0;
                while (engine.lifecycle() != EngineLifecycle.HALTED && System.nanoTime() < deadline)
                {
                    result = engine.publisher().restock(CommandPublisher.NOW, 1, 1);
                    if (result > 0)
                    {
                        lastAccepted = result;
                    }
                    Thread.sleep(1);
                }
                assertEquals(EngineLifecycle.HALTED, engine.lifecycle(), "the engine halted");
                assertTrue(engine.haltReason().contains("journal"), engine.haltReason());
                final long start = System.nanoTime();
                assertEquals(PublishRefusal.ENGINE_HALTED, engine.publisher().restock(CommandPublisher.NOW, 1, 1));
                assertEquals(PublishRefusal.ENGINE_HALTED, engine.publisher().cancel(CommandPublisher.NOW, 1));
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused at once");
                assertFalse(engine.awaitReleased(lastAccepted, Duration.ofMillis(200)),
                    "the command the journal refused is never released");
                final long closeStart = System.nanoTime();
                engine.close();
                assertTrue(System.nanoTime() - closeStart < TimeUnit.SECONDS.toNanos(10), "close did not hang");
            }
            final long journaled;
            try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
            {
                journaled = reader.lastSequence();
            }
            assertTrue(journaled < lastAccepted, "the last accepted command was refused by the journal");
            for (final long sequence : released)
            {
                assertTrue(sequence <= journaled, "released " + sequence + " but journaled only to " + journaled);
            }
            Files.delete(mount.resolve("filler"));
            try (StockflowEngine engine = StockflowEngine.builder(testConfig(engineDirectory).build()).build())
            {
                engine.start();
                assertEquals(journaled + 1, engine.publisher().restock(CommandPublisher.NOW, 1, 1),
                    "after space is freed a restart recovers and goes on");
            }
        }
    }

    @Test
    @ExpectedUncaughtExceptions("StageHaltedException")
    void logicExceptionHaltsTheEngineByDefaultAndReplayHaltsAtTheSameEvent() throws Exception
    {
        final ApplyProbe failAt50 = failAt(50);
        final CountDownLatch queryPublished = new CountDownLatch(1);
        // The failing event waits until the query is in the ring behind it.
        final ApplyProbe failAt50OnceTheQueryIsBehind = (sequence, command) ->
        {
            if (sequence == 50)
            {
                try
                {
                    queryPublished.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            failAt50.beforeApply(sequence, command);
        };
        final List<Long> released = new CopyOnWriteArrayList<>();
        final OutcomeListener listener =
            (sequence, eventTimeMs, type, entityId, rejectReason, logicError) -> released.add(sequence);
        final CompletableFuture<Long> pendingQuery;
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory)
            .applyProbe(failAt50OnceTheQueryIsBehind).snapshotEveryEvents(0).build()).outcomeListener(listener).build())
        {
            engine.start();
            for (int i = 0; i < 49; i++)
            {
                engine.publisher().restock(CommandPublisher.NOW, 1 + i, 10);
            }
            assertTrue(engine.awaitReleased(49, Duration.ofSeconds(10)));
            assertEquals(50, engine.publisher().restock(CommandPublisher.NOW, 1, 10));
            pendingQuery = engine.query(state -> state.stateHash());
            queryPublished.countDown();
            // The halt fails the query behind the failed event at once, not at close: its caller learns of the halt.
            final ExecutionException failedAtTheHalt = assertThrows(ExecutionException.class,
                () -> pendingQuery.get(10, TimeUnit.SECONDS), "the query behind the failed event fails at the halt");
            assertTrue(failedAtTheHalt.getCause().getMessage().contains("halted"),
                failedAtTheHalt.getCause().getMessage());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.lifecycle() != EngineLifecycle.HALTED && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(EngineLifecycle.HALTED, engine.lifecycle());
            assertTrue(engine.haltReason().contains(EngineTestSupport.applyingStage() + " stage failed at sequence 50"),
                engine.haltReason());
            assertEquals(PublishRefusal.ENGINE_HALTED, engine.publisher().ship(CommandPublisher.NOW, 1));
            assertFalse(engine.awaitReleased(50, Duration.ofMillis(200)));
        }
        assertEquals(49, released.size(), "nothing from the failed event on was released");

        final StockflowEngine again = StockflowEngine.builder(testConfig(directory).applyProbe(failAt50).build())
            .build();
        final ReplayHaltedException replayHalt = assertThrows(ReplayHaltedException.class, again::start,
            "recovery halts at the same event");
        assertEquals(50, replayHalt.sequence());
        again.close();

        try (StockflowEngine fixed = StockflowEngine.builder(testConfig(directory).build()).build())
        {
            fixed.start();
            assertEquals(51, fixed.publisher().restock(CommandPublisher.NOW, 1, 1),
                "with the bug fixed, the journaled event is applied and the sequence goes on");
        }
    }

    @Test
    void logicExceptionWithRecordAndContinueIsRecordedAndReplayedIdentically()
    {
        final ApplyProbe failEvery97 = (sequence, command) ->
        {
            if (sequence % 97 == 0)
            {
                throw new IllegalStateException("injected rules failure at " + sequence);
            }
        };
        final List<Long> logicErrors = new CopyOnWriteArrayList<>();
        final OutcomeListener listener = (sequence, eventTimeMs, type, entityId, rejectReason, logicError) ->
        {
            if (logicError)
            {
                logicErrors.add(sequence);
            }
        };
        final EngineConfig config = testConfig(directory).applyProbe(failEvery97)
            .logicFailurePolicy(LogicFailurePolicy.RECORD_AND_CONTINUE).snapshotEveryEvents(0).build();
        final long liveHash;
        final long last;
        try (StockflowEngine engine = StockflowEngine.builder(config).outcomeListener(listener).build())
        {
            engine.start();
            last = publishMixed(engine, 11, 97 * 40, 0.05);
            assertEquals(0, last % 97, "the last event itself is one on which the rules throw");
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            assertEquals(EngineLifecycle.RUNNING, engine.lifecycle());
            liveHash = liveHash(engine);
            assertEquals(40, engine.counters().get(EngineCounter.LOGIC_ERRORS));
        }
        assertEquals(40, logicErrors.size());
        for (final long sequence : logicErrors)
        {
            assertEquals(0, sequence % 97);
        }
        final Recovery.RecoveryResult replay;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            replay = Recovery.recover(null, reader, JournalReplayer.RulesFactory.DEFAULT,
                LogicFailurePolicy.RECORD_AND_CONTINUE, JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                ReplayProgress.NONE, failEvery97, JournalOrigin.UNRECORDED);
        }
        assertEquals(40, replay.replayed().logicErrors(), "replay records the same failures");
        assertEquals(liveHash, replay.replayer().state().stateHash(), "and reaches the same state");
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            assertEquals(liveHash, liveHash(engine), "restart (snapshot on close) reaches the same state");
            assertEquals(last + 1, engine.publisher().restock(CommandPublisher.NOW, 1, 1));
        }
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).applyProbe(failEvery97)
            .logicFailurePolicy(LogicFailurePolicy.RECORD_AND_CONTINUE).snapshotOnClose(false).build()).build())
        {
            FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(directory));
            engine.start();
            assertNull(engine.recovery().snapshot());
            assertEquals(last + 2, engine.publisher().nextSequence(),
                "a journal ending on a recorded logic error restarts by full replay too");
        }
    }

    private static ApplyProbe failAt(final long failing)
    {
        return (sequence, command) ->
        {
            if (sequence == failing)
            {
                throw new IllegalStateException("injected rules failure at " + sequence);
            }
        };
    }

}
