package io.stockflow.engine;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared helpers of the engine tests: seeded command streams (the realistic
 * workload mixed with random, often out-of-range field values), state hashes read
 * on the logic thread, and replays of a journal on disk through the same rules
 * code the engine runs.
 */
final class EngineTestSupport
{
    /** Outcome code a test records for an event on which the rules threw (RECORD_AND_CONTINUE). */
    static final int LOGIC_ERROR_CODE = -1;

    private EngineTestSupport()
    {
    }

    /** @return a configuration that suits tests: no pretouch (quicker start), small ring. */
    static EngineConfig.Builder testConfig(final Path directory)
    {
        return EngineConfig.builder(directory).pretouch(false).ringSize(1024).drainTimeout(Duration.ofSeconds(20));
    }

    /** @return the state hash, computed on the logic thread between two commands. */
    static long liveHash(final StockflowEngine engine)
    {
        try
        {
            return engine.query(StateView::stateHash).get(30, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError("hash query failed", e);
        }
    }

    /**
     * Publishes a seeded stream: mostly the realistic workload, and with
     * {@code randomShare} probability a command with random field values, many of
     * them outside the rules' ranges (negative, zero, huge, {@code Long.MIN_VALUE}).
     * Retries on BACKPRESSURE so every command is journaled.
     *
     * @return the last sequence.
     */
    static long publishMixed(final StockflowEngine engine, final long seed, final int count, final double randomShare)
    {
        final WorkloadGenerator generator = new WorkloadGenerator(seed, 400);
        final GeneratedCommand command = new GeneratedCommand();
        final RandomCommand randomCommand = new RandomCommand();
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        final BackpressureRetry retry = new BackpressureRetry(engine.publisher(), RetryBackoff.SPIN,
            Duration.ofMinutes(1));
        long last = 0;
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < count; i++)
        {
            generator.next(command);
            ts = Math.max(ts, command.ts());
            final long result = random.nextDouble() < randomShare
                ? retry.publish(randomCommand, randomCommand.fill(random, ts))
                : retry.publish(command, command.ts());
            assertTrue(result > 0, "publish refused: " + PublishRefusal.name(result));
            last = result;
        }
        return last;
    }

    /**
     * A command with random field values, many outside the rules' ranges (negative, zero,
     * huge, {@code Long.MIN_VALUE}), drawn once so a retry publishes the same command.
     */
    private static final class RandomCommand implements CommandFields
    {
        private static final int MOST_LINES = 10;

        private final long[] lineSkus = new long[MOST_LINES];
        private final long[] lineQtys = new long[MOST_LINES];
        private final long[] linePrices = new long[MOST_LINES];
        private CommandType type;
        private long sku;
        private long qty;
        private long order;
        private long account;
        private long ttlMs;
        private int lineCount;

        /** @return the command's time: near {@code ts}, or up to 100 s before it. */
        long fill(final SplittableRandom random, final long ts)
        {
            final long when = random.nextInt(10) == 0 ? ts - random.nextInt(100_000) : ts + random.nextInt(3);
            switch (random.nextInt(7))
            {
                case 0:
                    type = CommandType.RESTOCK;
                    sku = anyId(random);
                    qty = anyQuantity(random);
                    break;
                case 1:
                    type = CommandType.ADJUST;
                    sku = anyId(random);
                    qty = anyQuantity(random) * (random.nextBoolean() ? 1 : -1);
                    break;
                case 2:
                    type = CommandType.PLACE;
                    order = anyId(random);
                    account = anyId(random);
                    ttlMs = random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(1_000_000);
                    lineCount = random.nextInt(MOST_LINES + 1);
                    for (int l = 0; l < lineCount; l++)
                    {
                        lineSkus[l] = anyId(random);
                        lineQtys[l] = anyQuantity(random);
                        linePrices[l] = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(100_000);
                    }
                    break;
                case 3:
                    orderCommand(CommandType.CANCEL, random);
                    break;
                case 4:
                    orderCommand(CommandType.SHIP, random);
                    break;
                case 5:
                    orderCommand(CommandType.DELIVER, random);
                    break;
                default:
                    orderCommand(CommandType.RETURN, random);
                    break;
            }
            return when;
        }

        private void orderCommand(final CommandType orderType, final SplittableRandom random)
        {
            type = orderType;
            order = anyId(random);
        }

        @Override
        public CommandType type()
        {
            return type;
        }

        @Override
        public long sku()
        {
            return sku;
        }

        @Override
        public long qty()
        {
            return qty;
        }

        @Override
        public long delta()
        {
            return qty;
        }

        @Override
        public long order()
        {
            return order;
        }

        @Override
        public long account()
        {
            return account;
        }

        @Override
        public long ttlMs()
        {
            return ttlMs;
        }

        @Override
        public int lineCount()
        {
            return lineCount;
        }

        @Override
        public long lineSku(final int lineIndex)
        {
            return lineSkus[lineIndex];
        }

        @Override
        public long lineQty(final int lineIndex)
        {
            return lineQtys[lineIndex];
        }

        @Override
        public long linePrice(final int lineIndex)
        {
            return linePrices[lineIndex];
        }
    }

    private static long anyId(final SplittableRandom random)
    {
        switch (random.nextInt(8))
        {
            case 0:
                return 0;
            case 1:
                return -1 - random.nextInt(1000);
            case 2:
                return Long.MAX_VALUE;
            default:
                return 1 + random.nextInt(600);
        }
    }

    private static long anyQuantity(final SplittableRandom random)
    {
        switch (random.nextInt(10))
        {
            case 0:
                return 0;
            case 1:
                return Long.MIN_VALUE;
            case 2:
                return Long.MAX_VALUE;
            case 3:
                return 1_000_000_001L;
            case 4:
                return 999_999_999L;
            default:
                return 1 + random.nextInt(500);
        }
    }

    /** @return the state hash of a full replay of the engine directory's journal (no snapshots). */
    static long fullReplayHash(final Path engineDirectory)
    {
        return replay(engineDirectory, false).replayer().state().stateHash();
    }

    /** @return a recovery of the engine directory, with or without its snapshots. */
    static Recovery.RecoveryResult replay(final Path engineDirectory, final boolean useSnapshots)
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            return Recovery.recover(useSnapshots ? new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory))
                : null, reader, JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT,
                JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
        }
    }

    /**
     * Replays a journal through fresh rules and returns each event's outcome code,
     * indexed by sequence (index 0 unused).
     */
    static int[] replayOutcomes(final Path engineDirectory)
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        int[] outcomes = new int[1024];
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            long expected = 1;
            while (reader.readNext(record))
            {
                if (ParametersRecord.is(record))
                {
                    ParametersRecord.decode(record, view);
                    rules.initializeParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
                    continue;
                }
                if (record.sequence() != expected)
                {
                    fail("journal gap: expected sequence " + expected + ", read " + record.sequence());
                }
                view.wrap(record.payload(), 0, record.payloadLength());
                if (record.sequence() >= outcomes.length)
                {
                    outcomes = Arrays.copyOf(outcomes, outcomes.length * 2);
                }
                rules.checkNext(record.sequence(), record.eventTime());
                outcomes[(int)record.sequence()] = rules.apply(record.eventTime(), view);
                expected++;
            }
            return Arrays.copyOf(outcomes, (int)expected);
        }
    }

    /**
     * Feeds every journaled command of {@code source} into a started engine's
     * publisher, in journal order, with its journaled event time.
     *
     * @return the last sequence the target assigned.
     */
    static long republishJournal(final Path source, final StockflowEngine target)
    {
        final CommandPublisher publisher = target.publisher();
        final BackpressureRetry retry = new BackpressureRetry(publisher, RetryBackoff.SPIN, Duration.ofMinutes(1));
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        long last = 0;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(source)))
        {
            while (reader.readNext(record))
            {
                if (ParametersRecord.is(record))
                {
                    // The target's own journal begins with its parameters record, from its configuration.
                    continue;
                }
                view.wrap(record.payload(), 0, record.payloadLength());
                final long result = retry.publish(view, record.eventTime());
                assertTrue(result > 0, "republish refused: " + PublishRefusal.name(result));
                last = result;
            }
        }
        return last;
    }

    /** @return the code a test records for a result: 0 accepted, the reason's code, or {@link #LOGIC_ERROR_CODE}. */
    static int outcomeCode(final RejectReason reason, final boolean logicError)
    {
        return logicError ? LOGIC_ERROR_CODE : reason == null ? 0 : reason.code();
    }
}
