package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The {@code --journal DIR} option every command shares, with its checks. */
final class EngineDirectory
{
    /** Chronicle Queue's cycle files, the journal's records. */

    @Option(names = {"--journal",
        "-j"}, required = true, paramLabel = "DIR", description = "Engine directory (its journal/ and snapshots/).")
    Path directory;

    /**
     * @return the directory, checked to hold a journal (for read-only commands).
     * @throws UserException (66) when it is missing or not an engine directory.
     */
    Path existing()
    {
        if (!Files.exists(directory))
        {
            throw new UserException(ExitCodes.NO_INPUT,
                "no journal at " + directory + ": the directory does not exist");
        }
        if (!Files.isDirectory(directory))
        {
            throw new UserException(ExitCodes.NO_INPUT, directory + " is a file, not an engine directory");
        }
        if (!Files.isDirectory(EngineConfig.journalDirectoryOf(directory)))
        {
            throw new UserException(ExitCodes.NO_INPUT, directory
                + " is not a Stockflow engine directory (it has no journal/ inside); create one with 'stockflow run'");
        }
        requireRecordsBesideSnapshots();
        return directory;
    }

    /**
     * As {@link #existing()}, for a command that reads only the counters ({@code stat}): what the
     * journal lacks is no reason to withhold them.
     *
     * @return the engine directory
     */
    Path existingForCounters()
    {
        if (!Files.isDirectory(directory) || !Files.isDirectory(EngineConfig.journalDirectoryOf(directory)))
        {
            return existing();
        }
        return directory;
    }

    /*
     * No cycle file beside a snapshot: every record the snapshot was taken from is gone (removed by
     * hand, or lost with a disk). Read as it is, the journal is empty and the snapshot is skipped as
     * past its end, so the commands showed an empty state with exit 0; the engine's start refuses
     * such a directory, and so does every command here, with the missing range.
     */
    private void requireRecordsBesideSnapshots()
    {
        try
        {
            if (CycleFiles.anyIn(journal()))
            {
                return;
            }
        }
        catch (final IOException e)
        {
            // Opening the journal reports what is wrong with the directory.
            return;
        }
        final List<Path> snapshots = new SnapshotStore(snapshots()).listNewestFirst();
        if (!snapshots.isEmpty())
        {
            throw new JournalHistoryMissingException(journal(), history().map(JournalHistory::firstSequence).orElse(1L),
                SnapshotStore.sequenceOf(snapshots.get(0)), null, false);
        }
    }

    /**
     * @return the failure policy the directory was created with (HALT for a directory
     *         older than that record), which every replay of its journal applies so that
     *         it goes on, or stops, where the engine did.
     */
    LogicFailurePolicy failurePolicy()
    {
        return EngineDirectoryRecord.logicFailurePolicy(directory);
    }

    /**
     * @return what the directory's record says its journal begins with, which every replay from the
     *         start checks so that a journal that lost its parameters record is refused, not replayed
     *         under 0, 0, 0.
     */
    JournalOrigin origin()
    {
        return JournalOrigin.of(directory);
    }

    /**
     * @param archive the journal's archive directory ({@code --archive}), or null for the journal
     *                directory alone
     * @return a read-only reader over the journal, preceded by the archived cycles when given
     */
    JournalReader openReader(final Path archive)
    {
        return archive == null ? Journal.openReader(journal()) : Journal.openReader(journal(), archive);
    }

    /**
     * Where the history a reader reaches starts: 1 (or the parameters record) for a whole journal,
     * later once early cycles were archived and the archive is not read.
     *
     * @param reader  a reader from {@link #openReader}
     * @param archive the archive it reads first, or null
     * @return the first command sequence the reader reaches, at least 1
     * @throws io.stockflow.journal.JournalHistoryMissingException when cycle files were removed by hand
     */
    long historyStart(final JournalReader reader, final Path archive)
    {
        long first = reader.firstSequence();
        if (first == 0)
        {
            // The parameters record is there; the commands after it may still be missing (its cycle file kept,
            // the next ones removed). Read with a reader of its own: the caller's is still to be read from the start.
            try (JournalReader commands = openReader(archive))
            {
                first = ParametersRecord.firstCommandSequence(commands);
            }
        }
        JournalHistory.requirePresent(journal(), first);
        return Math.max(1, first);
    }

    /**
     * @param archive the archive a reader reads first, or null
     * @return whether the reader misses the parameters record the directory promises because archival
     *         took the cycle file that held it alone ({@link JournalOrigin#parametersRecordArchived}):
     *         then, as for any archived history, a snapshot stands in for the journal's start
     */
    boolean parametersRecordArchived(final Path archive)
    {
        try (JournalReader fresh = openReader(archive))
        {
            final JournalRecord first = new JournalRecord();
            return fresh.readNext(first) && origin().parametersRecordArchived(first);
        }
    }

    /**
     * @param archive the archive a reader reads first, or null
     * @throws io.stockflow.engine.ParametersRecordMissingException when the reader misses the parameters
     *                                                               record the directory promises
     */
    void requireParametersRecord(final Path archive)
    {
        try (JournalReader fresh = openReader(archive))
        {
            final JournalRecord first = new JournalRecord();
            if (fresh.readNext(first))
            {
                origin().checkFirstRecord(first);
            }
        }
    }

    /** @return the journal's history record, empty when nothing was archived. */
    Optional<JournalHistory> history()
    {
        return JournalHistory.read(journal());
    }

    /** @return the journal directory inside. */
    Path journal()
    {
        return EngineConfig.journalDirectoryOf(directory);
    }

    /** @return the snapshot directory inside. */
    Path snapshots()
    {
        return EngineConfig.snapshotDirectoryOf(directory);
    }
}
