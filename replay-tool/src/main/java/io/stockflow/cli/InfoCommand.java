package io.stockflow.cli;

import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.ParametersRecordMissingException;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.DiskUsage;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.internal.JournalMetadata;
import net.openhft.posix.PosixAPI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code stockflow info}: what is in an engine directory: the journal's cycle
 * files with apparent and on-disk sizes (memory-mapped files are sparse), the
 * first and last sequence and event time, the roll cycle and record format, the
 * durability the engine last ran with, and the snapshots with their sequence and
 * state hash. Read-only.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe an engine directory: cycle files and sizes, sequence and time range, snapshots.")
final class InfoCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final JournalMetadata metadata = JournalMetadata.read(directory.journal());
        out.printf("directory    %s%n", directory.directory.toAbsolutePath());
        out.printf("journal      record format %d, roll cycle %s%n", metadata.formatVersion(), metadata.rollCycle());
        out.printf("durability   %s%n", EngineRunInfo.read(directory.directory));
        printRecords(out);
        final long diskTotal = printCycleFiles(out);
        printDiskBudget(out, diskTotal);
        printSnapshots(out);
        out.flush();
        if (parametersMissing != null)
        {
            // Everything else was described; the exit status and the one line on stderr say the journal
            // cannot be replayed as it is.
            throw parametersMissing;
        }
        return ExitCodes.OK;
    }

    // Set by printParameters when the directory promises a parameters record its journal lost.
    private ParametersRecordMissingException parametersMissing;

    // Commands the directory holds (after archival it starts later), set by printRecords.
    private long recordsInDirectory;

    private void printRecords(final PrintWriter out)
    {
        try (JournalReader reader = directory.openReader(null))
        {
            final JournalRecord record = new JournalRecord();
            final Optional<JournalHistory> history = directory.history();
            if (history.isPresent())
            {
                final JournalHistory archived = history.get();
                out.printf("history      starts at sequence %d; %s (%,d cycle file(s), %,d B on disk)%n",
                    archived.firstSequence(), archived.archive() == null ? "cycles before were deleted"
                        : "cycles before are archived in " + archived.archive(),
                    archived.archivedCycles(), archived.archivedBytes());
            }
            final long start = directory.historyStart(reader, null);
            if (start == 1)
            {
                printParameters(reader, record, out);
            }
            else
            {
                out.printf("parameters   archived with the early cycles (state shows the current ones)%n");
            }
            final long last = reader.lastSequence();
            if (last == 0)
            {
                out.printf("records      0 (empty journal)%n");
                return;
            }
            reader.seekToSequence(start);
            reader.readNext(record);
            final long firstSequence = record.sequence();
            final long firstTime = record.eventTime();
            reader.seekToSequence(last);
            reader.readNext(record);
            recordsInDirectory = last - firstSequence + 1;
            out.printf("records      %,d (sequence %d..%d)%n", last - firstSequence + 1, firstSequence,
                record.sequence());
            out.printf("event time   %d (%s) .. %d (%s)%n", firstTime, Instant.ofEpochMilli(firstTime),
                record.eventTime(), Instant.ofEpochMilli(record.eventTime()));
        }
    }

    /**
     * The journal's parameters record (its first record, before sequence 1), or that it has none:
     * written before parameters existed, or lost (the directory's record says it was written).
     */
    private void printParameters(final JournalReader reader, final JournalRecord record, final PrintWriter out)
    {
        if (!reader.readNext(record))
        {
            return;
        }
        try
        {
            directory.origin().checkFirstRecord(record);
        }
        catch (final ParametersRecordMissingException e)
        {
            if (directory.history().isPresent())
            {
                // Archival took the cycle file that held it alone: the directory is as archival left it.
                out.printf("parameters   archived with the early cycles (state shows the current ones)%n");
                return;
            }
            parametersMissing = e;
            out.printf("parameters   MISSING: %s records that the journal began with a parameters record, but"
                + " its first record is the command at sequence 1 (a replay is refused; see the message below)%n",
                EngineDirectoryRecord.FILE_NAME);
            return;
        }
        if (ParametersRecord.is(record))
        {
            final CommandView view = ParametersRecord.decode(record, new CommandView());
            out.printf("parameters   retentionMs %d, orderCapacity %d, skuCapacity %d (the journal's parameters record;"
                + " RULES commands may have changed them since: see state)%n", view.retentionMs(),
                view.orderCapacity(), view.skuCapacity());
        }
        else
        {
            out.printf("parameters   none recorded: the journal was written before rule parameters existed and"
                + " replays under retentionMs 0, orderCapacity 0, skuCapacity 0 (never forget, no limits)%n");
        }
    }

    /** Lists files of the journal directory. */
    @FunctionalInterface
    private interface JournalListing
    {
        List<Path> in(Path journal) throws IOException;
    }

    private List<Path> listJournal(final JournalListing listing)
    {
        try
        {
            return listing.in(directory.journal());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot list " + directory.journal() + ": " + e.getMessage(), e);
        }
    }

    /** @return the cycle files' bytes on disk */
    private long printCycleFiles(final PrintWriter out)
    {
        final List<Path> files = listJournal(CycleFiles::in);
        out.printf("cycle files  %d%n", files.size());
        long apparentTotal = 0;
        long diskTotal = 0;
        for (final Path file : files)
        {
            final long apparent = sizeOf(file);
            final long onDisk = diskUsage(file);
            apparentTotal += apparent;
            diskTotal += Math.max(0, onDisk);
            out.printf("  %-32s apparent %,15d B   on disk %15s B%n", file.getFileName(), apparent,
                onDisk < 0 ? "unknown" : String.format("%,d", onDisk));
        }
        out.printf("  %-32s apparent %,15d B   on disk %,15d B%n", "total", apparentTotal, diskTotal);
        printMovedAside(out);
        return diskTotal;
    }

    /*
     * A writer's open renames a cycle file whose Chronicle header is zero or not complete and which held
     * no record (a writer killed while creating it, a pretouched cycle a power cut left unwritten), and
     * keeps it: nothing else would tell the operator it is there, taking disk space.
     */
    private void printMovedAside(final PrintWriter out)
    {
        final List<Path> aside = listJournal(CycleFiles::movedAsideIn);
        if (aside.isEmpty())
        {
            return;
        }
        out.printf("moved aside  %d file(s) whose Chronicle header was zero or not complete and which held no record;"
            + " kept for inspection, not read: delete them once looked at%n", aside.size());
        for (final Path file : aside)
        {
            final long onDisk = diskUsage(file);
            out.printf("  %-48s apparent %,15d B   on disk %15s B%n", file.getFileName(), sizeOf(file),
                onDisk < 0 ? "unknown" : String.format("%,d", onDisk));
        }
    }

    /**
     * Bytes per command, free space and, when an engine has run here with counters, the days the
     * free space lasts at the rate it last measured (the rate needs a running engine; info reads files).
     */
    private void printDiskBudget(final PrintWriter out, final long diskTotal)
    {
        final long free = DiskUsage.usableBytes(directory.journal());
        final Optional<JournalHistory> history = directory.history();
        final long perDay = lastMeasuredBytesPerDay();
        out.printf("disk budget  %s B a command on disk; %s B free on its file system; %s; archived %,d cycle file(s),"
            + " %,d B%n", recordsInDirectory == 0 ? "-" : String.format("%,d", diskTotal / recordsInDirectory),
            free < 0 ? "unknown" : String.format("%,d", free),
            perDay < 0 ? "days left: unknown (no counters from a run here)" : daysLeft(free, perDay),
            history.map(JournalHistory::archivedCycles).orElse(0L),
            history.map(JournalHistory::archivedBytes).orElse(0L));
    }

    /** @return the last journal bytes a day an engine measured here, -1 without a counters file */
    private long lastMeasuredBytesPerDay()
    {
        try
        {
            final CountersReader.Sample sample =
                new CountersReader(directory.directory.resolve(CountersLayout.FILE_NAME)).read();
            return sample.has(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY)
                ? sample.get(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY) : -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /**
     * @param free   free bytes on the journal's file system
     * @param perDay journal bytes a day at the current rate
     * @return "N days left at B a day", or why there is no figure
     */
    static String daysLeft(final long free, final long perDay)
    {
        if (perDay <= 0)
        {
            return "days left: no figure (no commands in the last measured interval)";
        }
        return String.format("%.1f days left at %,d B a day (before archival)", Math.max(0, free) / (double)perDay,
            perDay);
    }

    private void printSnapshots(final PrintWriter out)
    {
        final List<Path> snapshots = new SnapshotStore(directory.snapshots()).listNewestFirst();
        out.printf("snapshots    %d%n", snapshots.size());
        for (final Path snapshot : snapshots)
        {
            try
            {
                final SnapshotMetadata metadata = SnapshotStore.readMetadata(snapshot);
                out.printf("  %-32s sequence %d, event time %d, state hash %s, %,d SKUs, %,d orders, %,d B%n",
                    snapshot.getFileName(), metadata.lastSequence(), metadata.eventTimeMs(),
                    StatePrinter.hash(metadata.stateHash()), metadata.skuCount(), metadata.orderCount(),
                    SnapshotStore.sizeOf(snapshot));
            }
            catch (final InvalidSnapshotException e)
            {
                out.printf("  %-32s INVALID: %s%n", snapshot.getFileName(), e.getMessage());
            }
        }
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    /** Bytes really allocated on disk: cycle files are sparse, so this is far below the apparent size. */
    private static long diskUsage(final Path file)
    {
        try
        {
            return PosixAPI.posix().du(file.toString()) * 1024;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }
}
