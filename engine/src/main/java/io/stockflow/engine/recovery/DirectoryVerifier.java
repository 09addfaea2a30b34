package io.stockflow.engine.recovery;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The checks of {@code stockflow verify}, reusable by any caller that holds an engine directory
 * (the command line, and the reliability trials that verify every directory they recovered):
 * every journal record (sequence, length, CRC32C, version), a replay of the whole journal, the
 * state hash compared with every snapshot's at its sequence, every snapshot loaded on its own,
 * and the invariants of docs/DOMAIN.md. Each fault is described with its file, offset and
 * sequence. Snapshots are loaded from private copies (SnapshotStore loads them that way), so the
 * directory is never written. Each load's rebuild takes a second CPU when the machine has one
 * ({@link StateRestorer.Threads#CALLER_AND_HELPER}), as a recovery's does: a verify is a batch job
 * that loads every snapshot, and the one the replay starts from twice.
 */
public final class DirectoryVerifier
{
    private final Path engineDirectory;
    private final Path journal;
    private final Path snapshots;
    private final Path archive;
    private final PrintWriter out;
    private final ProgressDisplays progressDisplays;
    /** The first sequence the readers reach: later than 1 once early cycles were archived. */
    private long start = 1;
    /** What the directory says its journal begins with. */
    private final JournalOrigin origin;
    /** The journal's first record, when the parameters record it promises was taken by archival alone. */
    private JournalRecord archivedParametersFirst;

    /**
     * @param engineDirectory  the engine directory (its journal/ and snapshots/)
     * @param archive          the cycles archived by {@code stockflow archive --into}, read first, or null
     * @param out              where the report lines go, one per check
     * @param progressDisplays a progress display per pass
     */
    public DirectoryVerifier(final Path engineDirectory, final Path archive, final PrintWriter out,
        final ProgressDisplays progressDisplays)
    {
        this.engineDirectory = engineDirectory;
        this.journal = EngineConfig.journalDirectoryOf(engineDirectory);
        this.snapshots = EngineConfig.snapshotDirectoryOf(engineDirectory);
        this.archive = archive;
        this.out = out;
        this.progressDisplays = progressDisplays;
        this.origin = JournalOrigin.of(engineDirectory);
    }

    /** Opens the progress display of one pass over the journal. */
    @FunctionalInterface
    public interface ProgressDisplays
    {
        /** Shows nothing. */
        ProgressDisplays NONE = (label, total) -> new ProgressDisplay()
        {
            @Override
            public void onProgress(final long sequence, final long events)
            {
            }

            @Override
            public void finish()
            {
            }
        };

        /**
         * @param label what is progressing
         * @param total the expected count, or 0 if unknown
         * @return the pass's display, finished by the verifier when the pass ends
         */
        ProgressDisplay start(String label, long total);
    }

    /** One pass's progress: told every 65,536 records, then finished. */
    public interface ProgressDisplay extends ReplayProgress
    {
        /** Clears the display: the pass has ended. */
        void finish();
    }

    /**
     * Runs every check and prints one line per check, then {@code verify OK} or each fault and
     * their count.
     *
     * @return the faults found, empty when everything holds
     * @throws JournalHistoryMissingException when cycle files were removed by hand
     */
    public List<String> verify()
    {
        final List<String> faults = new ArrayList<>();
        final long records = checkRecords(faults);
        if (faults.isEmpty())
        {
            replayAndCompare(faults, records);
        }
        if (faults.isEmpty())
        {
            out.println("verify       OK");
            out.flush();
            return faults;
        }
        for (final String fault : faults)
        {
            out.println("FAULT        " + fault);
        }
        out.printf("verify       %d fault(s)%n", faults.size());
        out.flush();
        return faults;
    }

    private JournalReader openReader()
    {
        return archive == null ? Journal.openReader(journal) : Journal.openReader(journal, archive);
    }

    /** Archival may have taken the cycle file holding the parameters record alone: then a snapshot must start the replay. */
    private void findParametersRecordArchived()
    {
        try (JournalReader fresh = openReader())
        {
            final JournalRecord first = new JournalRecord();
            if (fresh.readNext(first) && origin.parametersRecordArchived(first))
            {
                archivedParametersFirst = first;
            }
        }
    }

    private Optional<JournalHistory> history()
    {
        return JournalHistory.read(journal);
    }

    private long checkRecords(final List<String> faults)
    {
        final ProgressDisplay progress = progressDisplays.start("checking records", 0);
        long count = 0;
        long first = 0;
        long last = 0;
        final JournalRecord record = new JournalRecord();
        boolean opened = false;
        try (JournalReader reader = openReader())
        {
            opened = true;
            long firstReached = reader.firstSequence();
            if (firstReached == 0)
            {
                // The parameters record is there; the commands after it may still be missing.
                try (JournalReader commands = openReader())
                {
                    firstReached = ParametersRecord.firstCommandSequence(commands);
                }
            }
            JournalHistory.requirePresent(journal, firstReached);
            start = Math.max(1, firstReached);
            if (start == 1)
            {
                findParametersRecordArchived();
            }
            if (reader.seekToSequence(start))
            {
                while (reader.readNext(record))
                {
                    if (count == 0)
                    {
                        first = record.sequence();
                    }
                    last = record.sequence();
                    count++;
                    if ((count & 0xFFFF) == 0)
                    {
                        progress.onProgress(last, count);
                    }
                }
            }
        }
        catch (final JournalCorruptionException e)
        {
            faults.add(describe(e));
        }
        progress.finish();
        if (faults.isEmpty())
        {
            out.printf("records      %,d checked (sequence %d..%d): sequence, length, CRC32C and version OK%n",
                count, first, last);
            if (archivedParametersFirst != null)
            {
                out.printf("history      from sequence 1 in the directory; the parameters record was archived with"
                    + " the first cycle file; the replay starts from the oldest snapshot%n");
            }
            if (start > 1)
            {
                out.printf("history      from sequence %d in the directory; %s%n", start,
                    history().map(h -> h.archive() == null ? "the cycles before were deleted"
                        : "the cycles before are archived in " + h.archive() + " (--archive checks them too)")
                        .orElse("the cycles before are gone"));
            }
        }
        else if (!opened)
        {
            out.printf("records      not checked: the journal cannot be opened (the fault below)%n");
        }
        else
        {
            out.printf("records      %,d whole records before the first fault%n", count);
        }
        return count;
    }

    private void replayAndCompare(final List<String> faults, final long records)
    {
        final ProgressDisplay progress = progressDisplays.start("replaying", records);
        final JournalReplayer replayer = new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT,
            EngineDirectoryRecord.logicFailurePolicy(engineDirectory), ApplyProbe.NONE,
            origin);
        final StateView rules = replayer.state();
        try (JournalReader reader = openReader())
        {
            boolean based = start == 1 && archivedParametersFirst == null;
            final List<Path> snapshotList = new ArrayList<>(new SnapshotStore(snapshots).listNewestFirst());
            Collections.reverse(snapshotList);
            final List<Path> invalid = new ArrayList<>();
            final List<String> reasons = new ArrayList<>();
            for (final Path snapshot : snapshotList)
            {
                final String name = snapshot.getFileName().toString();
                final SnapshotMetadata metadata;
                try
                {
                    metadata = SnapshotStore.loadInto(snapshot, new StateRestorer(
                        new FulfillmentRules(ExpiryListener.NONE), StateRestorer.Threads.CALLER_AND_HELPER));
                }
                catch (final InvalidSnapshotException e)
                {
                    invalid.add(snapshot);
                    reasons.add(e.getMessage());
                    continue;
                }
                if (!based)
                {
                    if (metadata.lastSequence() < start - 1)
                    {
                        out.printf("snapshot     %s: valid, before the history in the directory; not compared%n", name);
                        continue;
                    }
                    try
                    {
                        SnapshotStore.loadInto(snapshot,
                            new StateRestorer(replayer.rules(), StateRestorer.Threads.CALLER_AND_HELPER));
                    }
                    catch (final InvalidSnapshotException e)
                    {
                        faults.add("snapshot " + name + " could not be loaded a second time: " + e.getMessage());
                        return;
                    }
                    based = true;
                    out.printf("snapshot     %s: valid; the replay starts from it, at sequence %d%n", name,
                        metadata.lastSequence());
                    continue;
                }
                replayer.replay(reader, metadata.lastSequence(), JournalReplayer.UNBOUNDED, progress);
                if (rules.lastSequence() != metadata.lastSequence())
                {
                    faults.add("snapshot " + name + " is at sequence " + metadata.lastSequence()
                        + " but the journal ends at " + rules.lastSequence());
                }
                else if (rules.stateHash() != metadata.stateHash())
                {
                    faults.add("snapshot " + name + ": state hash " + hash(metadata.stateHash())
                        + " differs from the replay's " + hash(rules.stateHash()) + " at sequence "
                        + metadata.lastSequence());
                }
                else
                {
                    out.printf("snapshot     %s: valid, state hash %s equals the replay's at sequence %d%n", name,
                        hash(metadata.stateHash()), metadata.lastSequence());
                }
            }
            if (!based && archivedParametersFirst != null)
            {
                origin.checkFirstRecord(archivedParametersFirst);
            }
            if (!based)
            {
                throw new JournalHistoryMissingException(journal, 1, start - 1,
                    history().map(JournalHistory::archive).orElse(null), history().isPresent());
            }
            replayer.replay(reader, JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED, progress);
            for (int i = 0; i < invalid.size(); i++)
            {
                final String name = invalid.get(i).getFileName().toString();
                if (Files.isDirectory(invalid.get(i)))
                {
                    faults.add("snapshot " + name + " is invalid: " + reasons.get(i));
                }
                else
                {
                    out.printf("snapshot     %s: deleted by the running engine (retention) while verify read it; "
                        + "skipped%n", name);
                }
            }
        }
        catch (final JournalCorruptionException e)
        {
            faults.add(describe(e));
            return;
        }
        catch (final ReplayHaltedException e)
        {
            faults.add(e.getMessage());
            return;
        }
        finally
        {
            progress.finish();
        }
        try
        {
            rules.checkInvariants();
            out.printf("invariants   hold: 0 <= reserved <= onHand <= 10^12 for %,d SKUs; reservations match "
                + "RESERVED orders%n", rules.skuCount());
        }
        catch (final IllegalStateException e)
        {
            faults.add("invariant broken after replay: " + e.getMessage());
        }
        out.printf("replay       %,d events, state hash %s at sequence %d%n", rules.events(),
            hash(rules.stateHash()), rules.lastSequence());
    }

    /** A state hash as the command line prints it: 16 hex digits. */
    private static String hash(final long stateHash)
    {
        return String.format("%016x", stateHash);
    }

    private static String describe(final JournalCorruptionException e)
    {
        return e.getMessage() + " (file " + e.file() + ", offset " + e.position() + ", sequence " + e.sequence() + ")";
    }
}
