package io.stockflow.engine.reliability;

import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Helpers of the reliability suite: engine configurations, the acknowledgement
 * encoding shared with {@link LoadChildMain}, replays of a journal on disk through
 * the engine's own rules and recovery code, and state checks.
 */
final class EngineFixtures
{
    /** Outcome code recorded for an event on which the rules threw. */
    static final int LOGIC_ERROR_CODE = -1;

    private EngineFixtures()
    {
    }

    /** @return a configuration for tests: no pretouch (quicker start), small ring, no snapshots. */
    static EngineConfig.Builder quietConfig(final Path directory)
    {
        return EngineConfig.builder(directory).pretouch(false).ringSize(1024).drainTimeout(Duration.ofSeconds(20))
            .snapshotEveryEvents(0).snapshotOnClose(false);
    }

    /** @return 0 accepted, the reason's code, or {@link #LOGIC_ERROR_CODE}. */
    static int outcomeCode(final RejectReason reason, final boolean logicError)
    {
        return logicError ? LOGIC_ERROR_CODE : reason == null ? 0 : reason.code();
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

    /** @return null if the invariants of docs/DOMAIN.md hold on the live engine, else the first violation. */
    static String liveInvariantViolation(final StockflowEngine engine)
    {
        try
        {
            return engine.query(EngineFixtures::invariantViolation).get(30, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError("invariant query failed", e);
        }
    }

    /** @return null if {@code 0 <= reserved <= onHand <= 10^12} for every SKU and the rules' own checks pass. */
    static String invariantViolation(final StateView rules)
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
    static Recovery.RecoveryResult recover(final Path engineDirectory, final boolean useSnapshots,
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
    static final class ReplayedJournal
    {
        int[] outcomes = new int[1024];
        /** For each sequence, a rolling hash of the order ids it expired (0: none). */
        long[] expiryDigests = new long[1024];
        /** For each sequence, the state hash after it. */
        long[] hashes = new long[1024];
        long last;

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
    static ReplayedJournal replayJournal(final Path journalDirectory)
    {
        final ReplayedJournal replayed = new ReplayedJournal();
        final long[] digest = new long[1];
        final FulfillmentRules rules = new FulfillmentRules(orderId -> digest[0] = digest[0] * 31 + orderId);
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        try (JournalReader reader = Journal.openReader(journalDirectory))
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
     * Feeds every journaled command of {@code source} into a started engine's
     * publisher, in journal order, with its journaled event time.
     *
     * @return the last sequence the target assigned.
     */
    static long republishJournal(final Path sourceEngineDirectory, final StockflowEngine target)
    {
        final CommandPublisher publisher = target.publisher();
        final BackpressureRetry retry = new BackpressureRetry(publisher, RetryBackoff.SPIN, Duration.ofMinutes(1));
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        long last = 0;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(sourceEngineDirectory)))
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
                if (result <= 0)
                {
                    throw new AssertionError("republish refused: " + PublishRefusal.name(result));
                }
                last = result;
            }
        }
        return last;
    }

    /**
     * Publishes {@code count} commands of the realistic workload, retrying on
     * BACKPRESSURE so every one is journaled.
     *
     * @return the last sequence.
     */
    static long publishWorkload(final StockflowEngine engine, final WorkloadGenerator generator, final int count)
    {
        final GeneratedCommand command = new GeneratedCommand();
        final BackpressureRetry retry = new BackpressureRetry(engine.publisher(), RetryBackoff.SPIN,
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

    static void deleteRecursively(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            for (final Path each : (Iterable<Path>)walk.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(each);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a directory tree, keeping sparse files sparse (Chronicle's cycle files are mostly holes). */
    static void copyTree(final Path from, final Path to)
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
