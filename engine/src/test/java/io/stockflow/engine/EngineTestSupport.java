package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.Stages;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.pipeline.PipelineKind;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.Limits;
import io.stockflow.engine.rules.SkuVisitor;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared helpers of every engine test, the reliability suite's included (they were two
 * copies, this class and {@code reliability/EngineFixtures}): test configurations, seeded
 * command streams (the realistic workload, alone or mixed with random, often out-of-range
 * field values), state hashes and invariant checks read on the logic thread, replays of a
 * journal on disk through the same rules and recovery code the engine runs, and copies of a
 * directory tree. Deleting one is {@link io.stockflow.journal.internal.FileTree}'s.
 */
public final class EngineTestSupport
{
    /** Outcome code a test records for an event on which the rules threw (RECORD_AND_CONTINUE). */
    public static final int LOGIC_ERROR_CODE = -1;

    /**
     * The system property naming the topology the engine tests run on ({@code parallel} or
     * {@code fused}): the engine module's two surefire executions set it, one per topology, so
     * every engine test runs on both without a copy ({@link TestedTopologyTest} checks that each
     * execution's engines really ran its topology). Unset (a test run from an IDE), the engines
     * take the affinity plan's default topology for this machine.
     */
    public static final String PIPELINE_PROPERTY = "stockflow.test.pipeline";

    private EngineTestSupport()
    {
    }

    /**
     * @return the topology of {@link #PIPELINE_PROPERTY}, or null for the plan's default.
     * @throws IllegalArgumentException when the property names no topology.
     */
    public static PipelineKind testedPipeline()
    {
        final String name = System.getProperty(PIPELINE_PROPERTY, "").trim();
        return name.isEmpty() ? null : PipelineKind.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * @return the name of the stage that applies the rules on the tested topology ({@code logic},
     *         or {@code fused}), as in stage thread names and halt reasons.
     */
    public static String applyingStage()
    {
        return testedPipelineOrDefault() == PipelineKind.FUSED ? Stages.FUSED : Stages.LOGIC;
    }

    /** @return the name of the stage that releases outcomes on the tested topology ({@code outcome} or {@code fused}). */
    public static String releasingStage()
    {
        return testedPipelineOrDefault() == PipelineKind.FUSED ? Stages.FUSED : Stages.OUTCOME;
    }

    private static PipelineKind testedPipelineOrDefault()
    {
        final PipelineKind tested = testedPipeline();
        final CpuInventory cpus = CpuInventory.detect();
        return tested != null ? tested
            : PipelineKind.of(AffinityPlanner.resolve(AffinityPlan.defaultFor(cpus), cpus).topology());
    }

    /** @return a configuration that suits tests: no pretouch (quicker start), small ring, the tested topology. */
    public static EngineConfig.Builder testConfig(final Path directory)
    {
        return EngineConfig.builder(directory).pretouch(false).ringSize(1024).drainTimeout(Duration.ofSeconds(20))
            .pipeline(testedPipeline());
    }

    /**
     * @return the engine's default configuration but for the tested topology, for tests of the
     *         defaults themselves (pretouch, ring size, snapshots).
     */
    public static EngineConfig.Builder defaultConfig(final Path directory)
    {
        return EngineConfig.builder(directory).pipeline(testedPipeline());
    }

    /**
     * @return the tested topology as an argument for a child JVM's main, which hands it to
     *         {@link #takeTestedPipelineFromParent}: a child JVM does not inherit the property.
     */
    public static String testedPipelineArgument()
    {
        return System.getProperty(PIPELINE_PROPERTY, "");
    }

    /**
     * In a child JVM's main, before it builds its configuration with {@link #testConfig} or
     * {@link #quietConfig}: the child's engine then runs the parent's tested topology.
     *
     * @param argument the parent's {@link #testedPipelineArgument()}.
     */
    public static void takeTestedPipelineFromParent(final String argument)
    {
        System.setProperty(PIPELINE_PROPERTY, argument);
    }

    /** @return the state hash, computed on the logic thread between two commands. */
    public static long liveHash(final StockflowEngine engine)
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
    public static long publishMixed(final StockflowEngine engine, final long seed, final int count,
        final double randomShare)
    {
        final WorkloadGenerator generator = new WorkloadGenerator(seed, 400);
        final GeneratedCommand command = new GeneratedCommand();
        final RandomCommand randomCommand = new RandomCommand();
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        final BackpressureRetry retry =
            new BackpressureRetry(engine.publisher(), RetryBackoff.forPlan(engine.affinityPlan()),
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

    /**
     * Waits up to 30 s for a test to open the latch, keeping an interrupt: what a listener or an
     * apply probe calls to hold a stage, or the shadow state, still while the test looks.
     *
     * @param release the latch the test counts down.
     */
    public static void awaitRelease(final CountDownLatch release)
    {
        try
        {
            release.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the state hash of a full replay of the engine directory's journal (no snapshots). */
    public static long fullReplayHash(final Path engineDirectory)
    {
        return replay(engineDirectory, false).replayer().state().stateHash();
    }

    /** @return a recovery of the engine directory, with or without its snapshots. */
    public static Recovery.RecoveryResult replay(final Path engineDirectory, final boolean useSnapshots)
    {
        return recover(engineDirectory, useSnapshots, JournalReplayer.UNBOUNDED);
    }

    /**
     * Replays a journal through fresh rules and returns each event's outcome code,
     * indexed by sequence (index 0 unused).
     */
    public static int[] replayOutcomes(final Path engineDirectory)
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
    public static long republishJournal(final Path source, final StockflowEngine target)
    {
        final CommandPublisher publisher = target.publisher();
        final BackpressureRetry retry = new BackpressureRetry(publisher, RetryBackoff.forPlan(target.affinityPlan()),
            Duration.ofMinutes(1));
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
    public static int outcomeCode(final RejectReason reason, final boolean logicError)
    {
        return logicError ? LOGIC_ERROR_CODE : reason == null ? 0 : reason.code();
    }

    /** @return a configuration for tests: no pretouch (quicker start), small ring, no snapshots, the tested topology. */
    public static EngineConfig.Builder quietConfig(final Path directory)
    {
        return EngineConfig.builder(directory).pretouch(false).ringSize(1024).drainTimeout(Duration.ofSeconds(20))
            .snapshotEveryEvents(0).snapshotOnClose(false).pipeline(testedPipeline());
    }

    /** @return null if the invariants of docs/DOMAIN.md hold on the live engine, else the first violation. */
    public static String liveInvariantViolation(final StockflowEngine engine)
    {
        try
        {
            return engine.query(EngineTestSupport::invariantViolation).get(30, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError("invariant query failed", e);
        }
    }

    /** @return null if {@code 0 <= reserved <= onHand <= 10^12} for every SKU and the rules' own checks pass. */
    public static String invariantViolation(final StateView rules)
    {
        final String[] violation = new String[1];
        final SkuVisitor visitor = (sku, onHand, reserved) ->
        {
            if (violation[0] == null && (reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND))
            {
                violation[0] = "sku=" + sku + " onHand=" + onHand + " reserved=" + reserved;
            }
        };
        rules.forEachSku(visitor);
        if (violation[0] == null)
        {
            try
            {
                rules.checkInvariants();
            }
            catch (final RuntimeException | AssertionError e)
            {
                violation[0] = "checkInvariants: " + e.getMessage();
            }
        }
        return violation[0];
    }

    /** @return a recovery of the engine directory, with or without its snapshots, up to {@code toSequence}. */
    public static Recovery.RecoveryResult recover(final Path engineDirectory, final boolean useSnapshots,
        final long toSequence)
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            return Recovery.recover(useSnapshots ? new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory))
                : null, reader, JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT, toSequence,
                JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
        }
    }

    /** A journal replayed event by event: outcome codes and expiries, each indexed by sequence. */
    public static final class ReplayedJournal
    {
        /** For each sequence, its outcome code. */
        public int[] outcomes = new int[1024];
        /** For each sequence, a rolling hash of the order ids it expired (0: none). */
        public long[] expiryDigests = new long[1024];
        /** For each sequence, the state hash after it. */
        public long[] hashes = new long[1024];
        /** The last sequence replayed. */
        public long last;

        void ensure(final long sequence)
        {
            if (sequence >= outcomes.length)
            {
                final int length = (int)Math.max(sequence + 1, outcomes.length * 2L);
                outcomes = Arrays.copyOf(outcomes, length);
                expiryDigests = Arrays.copyOf(expiryDigests, length);
                hashes = Arrays.copyOf(hashes, length);
            }
        }
    }

    /**
     * Replays a journal directory through fresh rules, checking sequence continuity
     * from 1 (the reader checks every record's CRC), recording each event's outcome,
     * expiries and the state hash after it.
     */
    public static ReplayedJournal replayJournal(final Path journalDirectory)
    {
        return replayJournal(journalDirectory, null);
    }

    /**
     * {@link #replayJournal(Path)} over the whole history: the cycles archived into {@code archive},
     * read in place, then the directory's own.
     *
     * @param archive the journal's archive directory, or null for the directory alone.
     * @return the replay.
     */
    public static ReplayedJournal replayJournal(final Path journalDirectory, final Path archive)
    {
        final ReplayedJournal replayed = new ReplayedJournal();
        final long[] digest = new long[1];
        final FulfillmentRules rules = new FulfillmentRules(orderId -> digest[0] = digest[0] * 31 + orderId);
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        try (JournalReader reader = archive == null ? Journal.openReader(journalDirectory)
            : Journal.openReader(journalDirectory, archive))
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
                    throw new AssertionError(
                        "journal gap: expected sequence " + expected + ", read " + record.sequence());
                }
                view.wrap(record.payload(), 0, record.payloadLength());
                replayed.ensure(expected);
                digest[0] = 0;
                rules.checkNext(expected, record.eventTime());
                replayed.outcomes[(int)expected] = rules.apply(record.eventTime(), view);
                replayed.expiryDigests[(int)expected] = digest[0];
                replayed.hashes[(int)expected] = rules.view().stateHash();
                expected++;
            }
            replayed.last = expected - 1;
        }
        return replayed;
    }

    /**
     * Publishes {@code count} commands of the realistic workload, retrying on
     * BACKPRESSURE so every one is journaled.
     *
     * @return the last sequence.
     */
    public static long publishWorkload(final StockflowEngine engine, final WorkloadGenerator generator, final int count)
    {
        final GeneratedCommand command = new GeneratedCommand();
        final BackpressureRetry retry =
            new BackpressureRetry(engine.publisher(), RetryBackoff.forPlan(engine.affinityPlan()),
                Duration.ofMinutes(1));
        long last = 0;
        for (int i = 0; i < count; i++)
        {
            generator.next(command);
            final long result = retry.publish(command, command.ts());
            if (result <= 0)
            {
                throw new AssertionError("publish refused: " + PublishRefusal.name(result) + " " + engine.haltReason());
            }
            last = result;
        }
        return last;
    }

    /** Copies a directory tree, keeping sparse files sparse (Chronicle's cycle files are mostly holes). */
    public static void copyTree(final Path from, final Path to)
    {
        try
        {
            Files.createDirectories(to.getParent());
            final Process cp = new ProcessBuilder("cp", "-a", "--sparse=always", from.toString(), to.toString())
                .redirectErrorStream(true).start();
            final String output = new String(cp.getInputStream().readAllBytes());
            if (!cp.waitFor(60, TimeUnit.SECONDS) || cp.exitValue() != 0)
            {
                throw new IOException("cp " + from + " " + to + " failed: " + output);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
