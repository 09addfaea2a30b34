package io.stockflow.engine.recovery;

import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandView;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The work of {@code stockflow salvage}, the way forward when an engine refuses to start because
 * a journal record before the tail is corrupt: it reads the damaged journal up to the first fault
 * and feeds every record before it, with its own event time, into a new engine directory, which
 * therefore holds the same sequences and reaches the same state hash as the damaged journal had at
 * that point. The damaged directory is only read, never changed.
 *
 * <p>Only the prefix is copied. A record after the fault may read back fine, but its outcome was
 * decided on a state that included the lost record, so replaying it without that record would give
 * a state that never existed.
 */
public final class JournalSalvage
{
    /** How long one record may be refused with BACKPRESSURE before the copy gives up. */
    private static final Duration BACKPRESSURE_TIMEOUT = Duration.ofMinutes(5);
    /** The copy shares the machine with the new engine's stages: park between tries, never spin. */
    private static final long BACKPRESSURE_PARK_NANOS = 20_000;
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);

    private JournalSalvage()
    {
    }

    /** What a salvage copied and where the damaged journal's first fault is. */
    public record Result(long copied, long stateHash, JournalCorruptionException fault)
    {}

    /** The copy could not be completed; the new directory holds a partial copy. */
    public static final class SalvageFailedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final boolean newEngineStopped;

        SalvageFailedException(final String message, final boolean newEngineStopped)
        {
            super(message);
            this.newEngineStopped = newEngineStopped;
        }

        /** @return true when the new engine halted or timed out (an I/O fault), false for an internal one */
        public boolean newEngineStopped()
        {
            return newEngineStopped;
        }
    }

    /**
     * @param damagedDirectory the engine directory whose journal is read up to its first fault
     * @param into             the new engine directory, checked by the caller to be new or empty
     * @param progress         told every 65,536 records copied
     * @return the records copied (sequence 1 to {@code copied}), the new directory's state hash, and
     *         the first fault, or null when the whole journal was copied
     * @throws SalvageFailedException when the new engine does not take or apply a record
     */
    public static Result salvage(final Path damagedDirectory, final Path into, final ReplayProgress progress)
    {
        final Path journal = EngineConfig.journalDirectoryOf(damagedDirectory);
        final JournalRecord record = new JournalRecord();
        final CommandView view = new CommandView();
        JournalCorruptionException fault = null;
        long copied = 0;
        final long[] parameters = sourceParameters(journal, JournalOrigin.of(damagedDirectory), record, view);
        // The copy keeps the source's parameters (0, 0, 0 for a journal written before they existed) and
        // its event times, however far ahead of this clock they run.
        final EngineConfig intoConfig = EngineConfig.builder(into)
            .ruleParameters(parameters[0], parameters[1], parameters[2]).maxClockAheadMs(0).build();
        try (JournalReader reader = Journal.openReader(journal);
            StockflowEngine engine = StockflowEngine.builder(intoConfig).build())
        {
            engine.start();
            final BackpressureRetry feed = new BackpressureRetry(engine.publisher(),
                RetryBackoff.parkNanos(BACKPRESSURE_PARK_NANOS), BACKPRESSURE_TIMEOUT);
            try
            {
                if (reader.seekToSequence(1))
                {
                    while (reader.readNext(record))
                    {
                        view.wrap(record.payload(), 0, record.payloadLength());
                        final long sequence = feed.publish(view, record.eventTime());
                        if (sequence != record.sequence())
                        {
                            throw new SalvageFailedException("record " + record.sequence() + " was given "
                                + (sequence < 0 ? PublishRefusal.name(sequence) : "sequence " + sequence) + " in "
                                + into + (engine.haltReason() == null ? "" : " (" + engine.haltReason() + ")"),
                                engine.haltReason() != null);
                        }
                        if ((++copied & 0xFFFF) == 0)
                        {
                            progress.onProgress(record.sequence(), copied);
                        }
                    }
                }
            }
            catch (final JournalCorruptionException e)
            {
                fault = e;
            }
            if (copied > 0 && !engine.awaitReleased(copied, APPLY_TIMEOUT))
            {
                throw new SalvageFailedException("the new engine stopped before every record was applied: "
                    + (engine.haltReason() == null ? "timed out" : engine.haltReason()), true);
            }
            return new Result(copied, engine.query(state -> state.stateHash()).join(), fault);
        }
    }

    /**
     * @return the source journal's parameters record's values; those its directory records when a fault
     *         stops the read of it; 0, 0, 0 when it has none.
     * @throws io.stockflow.engine.ParametersRecordMissingException when its directory says it began with one
     *                                                               and it no longer does.
     */
    private static long[] sourceParameters(
        final Path journal, final JournalOrigin origin, final JournalRecord record, final CommandView view)
    {
        try (JournalReader first = Journal.openReader(journal))
        {
            if (!first.readNext(record))
            {
                return new long[] {0, 0, 0};
            }
            origin.checkFirstRecord(record);
            if (ParametersRecord.is(record))
            {
                ParametersRecord.decode(record, view);
                return new long[] {view.retentionMs(), view.orderCapacity(), view.skuCapacity()};
            }
        }
        catch (final JournalCorruptionException e)
        {
            // The damage is reported by the copy itself. The parameters record cannot be read (the first
            // cycle file was lost): the directory's own record of it stands in, else those of an old journal.
            final long[] recorded = origin.recordedParameters();
            if (recorded != null)
            {
                return recorded;
            }
        }
        return new long[] {0, 0, 0};
    }
}
