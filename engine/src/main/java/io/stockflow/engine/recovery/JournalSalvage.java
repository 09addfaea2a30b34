package io.stockflow.engine.recovery;

import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.ParametersRecordMissingException;
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

    /**
     * What a salvage copied and where the damaged journal's first fault is.
     *
     * @param copied               records copied, sequence 1 to {@code copied}.
     * @param stateHash            the new directory's state hash.
     * @param fault                the first fault, or null when the whole journal was copied.
     * @param substitutedParameters why the copy begins with the parameters the source directory records
     *                             instead of its journal's parameters record, with their values; null when
     *                             it begins with the journal's own (or 0, 0, 0 for a journal older than them).
     */
    public record Result(long copied, long stateHash, JournalCorruptionException fault, String substitutedParameters)
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
        final SourceParameters source = sourceParameters(journal, JournalOrigin.of(damagedDirectory), record, view);
        final long[] parameters = source.values();
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
            return new Result(copied, engine.query(state -> state.stateHash()).join(), fault, source.substituted());
        }
    }

    /**
     * @return the source journal's parameters record's values; when it cannot be read (a fault stops the
     *         read, or the cycle file that held it alone is gone), those its directory records, with the
     *         reason; 0, 0, 0 for a journal written before parameters existed.
     */
    private static SourceParameters sourceParameters(
        final Path journal, final JournalOrigin origin, final JournalRecord record, final CommandView view)
    {
        try (JournalReader first = Journal.openReader(journal))
        {
            if (first.readNext(record))
            {
                origin.checkFirstRecord(record);
                if (ParametersRecord.is(record))
                {
                    ParametersRecord.decode(record, view);
                    return new SourceParameters(
                        new long[] {view.retentionMs(), view.orderCapacity(), view.skuCapacity()}, null);
                }
                return origin.beginsWithParametersRecord()
                    ? recorded(origin, "the journal's first record is not its parameters record") : OLD_JOURNAL;
            }
            return origin.beginsWithParametersRecord()
                ? recorded(origin, "the journal holds no record") : OLD_JOURNAL;
        }
        catch (final JournalCorruptionException e)
        {
            // The damage is reported by the copy itself.
            return origin.beginsWithParametersRecord()
                ? recorded(origin, "the journal's first record cannot be read") : OLD_JOURNAL;
        }
        catch (final ParametersRecordMissingException e)
        {
            // The commands are all there; only the record of the parameters they ran under is gone, and
            // the directory recorded the same values when it created the journal.
            return recorded(origin, "the journal's parameters record is missing (the cycle file that held it"
                + " alone is gone)");
        }
    }

    private static SourceParameters recorded(final JournalOrigin origin, final String why)
    {
        final long[] values = origin.recordedParameters();
        return new SourceParameters(values, why + "; the copy begins with the parameters "
            + EngineDirectoryRecord.FILE_NAME + " records: retentionMs " + values[0] + ", orderCapacity " + values[1]
            + ", skuCapacity " + values[2]);
    }

    /**
     * The parameters a copy begins with.
     *
     * @param values      retentionMs, orderCapacity, skuCapacity.
     * @param substituted why they are the directory's record of them rather than the journal's, else null.
     */
    private record SourceParameters(long[] values, String substituted)
    {}

    /** A journal written before parameters existed replays under 0, 0, 0, and its copy begins with them. */
    private static final SourceParameters OLD_JOURNAL = new SourceParameters(new long[] {0, 0, 0}, null);
}
