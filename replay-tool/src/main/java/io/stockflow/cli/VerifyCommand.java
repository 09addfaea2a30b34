package io.stockflow.cli;

import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.ReplayHaltedException;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stockflow verify}: checks every journal record (sequence, length, CRC32C,
 * version), replays the whole journal, compares the state hash with every
 * snapshot's at its sequence, loads every snapshot on its own, and checks the
 * invariants of docs/DOMAIN.md. Each fault is printed with its file, offset and
 * sequence; any fault gives exit status 65. Snapshots are loaded from private
 * copies (SnapshotStore loads them that way), so the directory is never written.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every record, replay fully, compare the state hash with every snapshot's. "
    + "Exit 0 when all hold, 65 with each fault's file, offset and sequence otherwise.")
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @Option(names = "--archive", paramLabel = "ARCHIVE", description = "Read the cycles archived there (stockflow archive --into) first, and check the whole history.")
    private Path archive;

    /** The first sequence the readers reach: later than 1 once early cycles were archived. */
    private long start = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final List<String> faults = new ArrayList<>();
        final long records = checkRecords(out, faults);
        if (faults.isEmpty())
        {
            replayAndCompare(out, faults, records);
        }
        if (faults.isEmpty())
        {
            out.println("verify       OK");
            out.flush();
            return ExitCodes.OK;
        }
        for (final String fault : faults)
        {
            out.println("FAULT        " + fault);
        }
        out.printf("verify       %d fault(s)%n", faults.size());
        out.flush();
        return ExitCodes.DATA_ERROR;
    }

    private long checkRecords(final PrintWriter out, final List<String> faults)
    {
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "checking records", 0);
        long count = 0;
        long first = 0;
        long last = 0;
        final JournalRecord record = new JournalRecord();
        try (JournalReader reader = directory.openReader(archive))
        {
            start = directory.historyStart(reader);
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
                        progress.update(count);
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
            if (start > 1)
            {
                out.printf("history      from sequence %d in the directory; %s%n", start,
                    directory.history().map(h -> h.archive() == null ? "the cycles before were deleted"
                        : "the cycles before are archived in " + h.archive() + " (--archive checks them too)")
                        .orElse("the cycles before are gone"));
            }
        }
        else
        {
            out.printf("records      %,d whole records before the first fault%n", count);
        }
        return count;
    }

    private void replayAndCompare(final PrintWriter out, final List<String> faults, final long records)
    {
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "replaying", records);
        final JournalReplayer replayer =
            new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT, directory.failurePolicy());
        final StateView rules = replayer.state();
        try (JournalReader reader = directory.openReader(archive))
        {
            boolean based = start == 1;
            final List<Path> snapshots = new ArrayList<>(new SnapshotStore(directory.snapshots()).listNewestFirst());
            Collections.reverse(snapshots);
            final List<Path> invalid = new ArrayList<>();
            final List<String> reasons = new ArrayList<>();
            for (final Path snapshot : snapshots)
            {
                final String name = snapshot.getFileName().toString();
                final SnapshotMetadata metadata;
                try
                {
                    metadata = SnapshotStore.loadInto(snapshot,
                        new StateRestorer(new FulfillmentRules(ExpiryListener.NONE)));
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
                        SnapshotStore.loadInto(snapshot, new StateRestorer(replayer.rules()));
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
                    faults.add("snapshot " + name + ": state hash " + StatePrinter.hash(metadata.stateHash())
                        + " differs from the replay's " + StatePrinter.hash(rules.stateHash()) + " at sequence "
                        + metadata.lastSequence());
                }
                else
                {
                    out.printf("snapshot     %s: valid, state hash %s equals the replay's at sequence %d%n", name,
                        StatePrinter.hash(metadata.stateHash()), metadata.lastSequence());
                }
            }
            if (!based)
            {
                throw new JournalHistoryMissingException(directory.journal(), 1, start - 1,
                    directory.history().map(JournalHistory::archive).orElse(null), directory.history().isPresent());
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
            StatePrinter.hash(rules.stateHash()), rules.lastSequence());
    }

    private static String describe(final JournalCorruptionException e)
    {
        return e.getMessage() + " (file " + e.file() + ", offset " + e.position() + ", sequence " + e.sequence() + ")";
    }
}
