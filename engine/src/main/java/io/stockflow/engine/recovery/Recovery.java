package io.stockflow.engine.recovery;

import io.stockflow.engine.JournalOrigin;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.pipeline.ApplyProbe;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rebuilds the state: the newest valid snapshot (within the requested bounds)
 * plus the journal after it. A snapshot that fails any check is skipped with a
 * warning, falling back to an older one or to a full replay; the journal is the
 * source of truth.
 */
public final class Recovery
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery()
    {
    }

    /**
     * For a journal outside an engine directory ({@link JournalOrigin#UNRECORDED}).
     *
     * @param snapshots     the engine's snapshots, or null to replay the journal alone.
     * @param reader        the journal.
     * @param rulesFactory  builds fresh rules for each attempt.
     * @param failurePolicy the engine's logic failure policy.
     * @param toSequence    recover the state as of this sequence ({@link JournalReplayer#UNBOUNDED} for all).
     * @param toEventTime   or as of this event time ({@link JournalReplayer#UNBOUNDED} for all).
     * @param progress      replay progress.
     * @return the rebuilt state and how it was obtained.
     */
    public static RecoveryResult recover(
        final SnapshotStore snapshots,
        final JournalReader reader,
        final JournalReplayer.RulesFactory rulesFactory,
        final LogicFailurePolicy failurePolicy,
        final long toSequence,
        final long toEventTime,
        final ReplayProgress progress)
    {
        return recover(snapshots, reader, rulesFactory, failurePolicy, toSequence, toEventTime, progress,
            ApplyProbe.NONE, JournalOrigin.UNRECORDED);
    }

    /**
     * As {@link #recover(SnapshotStore, JournalReader, JournalReplayer.RulesFactory, LogicFailurePolicy, long,
     * long, ReplayProgress)}, for an engine directory's journal.
     *
     * @param snapshots     the engine's snapshots, or null to replay the journal alone.
     * @param reader        the journal.
     * @param rulesFactory  builds fresh rules for each attempt.
     * @param failurePolicy the engine's logic failure policy.
     * @param toSequence    recover the state as of this sequence ({@link JournalReplayer#UNBOUNDED} for all).
     * @param toEventTime   or as of this event time ({@link JournalReplayer#UNBOUNDED} for all).
     * @param progress      replay progress.
     * @param origin        what the directory says its journal begins with, checked by a replay from the start.
     * @return the rebuilt state and how it was obtained.
     * @throws io.stockflow.engine.ParametersRecordMissingException when no snapshot is used and the journal
     *                                                               lost the parameters record it began with.
     */
    public static RecoveryResult recover(
        final SnapshotStore snapshots,
        final JournalReader reader,
        final JournalReplayer.RulesFactory rulesFactory,
        final LogicFailurePolicy failurePolicy,
        final long toSequence,
        final long toEventTime,
        final ReplayProgress progress,
        final JournalOrigin origin)
    {
        return recover(snapshots, reader, rulesFactory, failurePolicy, toSequence, toEventTime, progress,
            ApplyProbe.NONE, origin);
    }

    /**
     * As {@link #recover(SnapshotStore, JournalReader, JournalReplayer.RulesFactory, LogicFailurePolicy, long,
     * long, ReplayProgress)}, with the live engine's {@link ApplyProbe} so a replay fails where it failed.
     *
     * @param snapshots     the engine's snapshots, or null to replay the journal alone.
     * @param reader        the journal.
     * @param rulesFactory  builds fresh rules for each attempt.
     * @param failurePolicy the engine's logic failure policy.
     * @param toSequence    recover the state as of this sequence ({@link JournalReplayer#UNBOUNDED} for all).
     * @param toEventTime   or as of this event time ({@link JournalReplayer#UNBOUNDED} for all).
     * @param progress      replay progress.
     * @param probe         called before each apply (a test seam); {@link ApplyProbe#NONE} in production.
     * @param origin        what the directory says its journal begins with, checked by a replay from the
     *                      start; {@link JournalOrigin#UNRECORDED} for a journal outside an engine directory.
     * @return the rebuilt state and how it was obtained.
     * @throws io.stockflow.engine.ParametersRecordMissingException when no snapshot is used and the journal
     *                                                               lost the parameters record it began with.
     */
    public static RecoveryResult recover(
        final SnapshotStore snapshots,
        final JournalReader reader,
        final JournalReplayer.RulesFactory rulesFactory,
        final LogicFailurePolicy failurePolicy,
        final long toSequence,
        final long toEventTime,
        final ReplayProgress progress,
        final ApplyProbe probe,
        final JournalOrigin origin)
    {
        final long start = System.nanoTime();
        final long journalLast = reader.lastSequence();
        final List<String> skipped = new ArrayList<>();
        if (snapshots != null)
        {
            for (final Path snapshot : snapshots.listNewestFirst())
            {
                // The snapshot holds the parameters: even one at sequence 0 needs nothing from the journal's start.
                final JournalReplayer replayer =
                    new JournalReplayer(rulesFactory, failurePolicy, probe, JournalOrigin.UNRECORDED);
                try
                {
                    final SnapshotMetadata metadata = SnapshotStore.readMetadata(snapshot);
                    if (metadata.lastSequence() > toSequence || metadata.eventTimeMs() > toEventTime)
                    {
                        continue;
                    }
                    if (metadata.lastSequence() > journalLast)
                    {
                        throw new InvalidSnapshotException("it is at sequence " + metadata.lastSequence()
                            + " but the journal ends at " + journalLast);
                    }
                    final long loadStart = System.nanoTime();
                    // Before serving: the other CPUs are idle, so the restore may take one of them.
                    SnapshotStore.loadInto(snapshot,
                        new StateRestorer(replayer.rules(), StateRestorer.Threads.CALLER_AND_HELPER));
                    final long loadNs = System.nanoTime() - loadStart;
                    final ReplayStats tail = replayer.replay(reader, toSequence, toEventTime, progress);
                    return new RecoveryResult(replayer, snapshot, metadata, loadNs, tail,
                        System.nanoTime() - start, skipped);
                }
                catch (final InvalidSnapshotException e)
                {
                    final String reason = snapshot.getFileName() + ": " + e.getMessage();
                    LOG.warn("ignoring snapshot {}", reason);
                    skipped.add(reason);
                }
            }
        }
        final JournalReplayer replayer = new JournalReplayer(rulesFactory, failurePolicy, probe, origin);
        final ReplayStats full = replayer.replay(reader, toSequence, toEventTime, progress);
        return new RecoveryResult(replayer, null, null, 0, full, System.nanoTime() - start, skipped);
    }

    /** The outcome of a recovery. */
    public static final class RecoveryResult
    {
        private final JournalReplayer replayer;
        private final Path snapshot;
        private final SnapshotMetadata snapshotMetadata;
        private final long snapshotLoadNs;
        private final ReplayStats replayed;
        private final long elapsedNs;
        private final List<String> skippedSnapshots;

        RecoveryResult(
            final JournalReplayer replayer,
            final Path snapshot,
            final SnapshotMetadata snapshotMetadata,
            final long snapshotLoadNs,
            final ReplayStats replayed,
            final long elapsedNs,
            final List<String> skippedSnapshots)
        {
            this.replayer = replayer;
            this.snapshot = snapshot;
            this.snapshotMetadata = snapshotMetadata;
            this.snapshotLoadNs = snapshotLoadNs;
            this.replayed = replayed;
            this.elapsedNs = elapsedNs;
            this.skippedSnapshots = Collections.unmodifiableList(skippedSnapshots);
        }

        /** @return the replayer holding the rebuilt rules. */
        public JournalReplayer replayer()
        {
            return replayer;
        }

        /** @return the snapshot used, or null for a full replay. */
        public Path snapshot()
        {
            return snapshot;
        }

        /** @return the snapshot's metadata, or null for a full replay. */
        public SnapshotMetadata snapshotMetadata()
        {
            return snapshotMetadata;
        }

        /** @return time spent loading the snapshot, ns. */
        public long snapshotLoadNs()
        {
            return snapshotLoadNs;
        }

        /** @return the journal events replayed on top of the snapshot (or all of them). */
        public ReplayStats replayed()
        {
            return replayed;
        }

        /** @return the whole recovery's wall time, ns. */
        public long elapsedNs()
        {
            return elapsedNs;
        }

        /** @return snapshots skipped, each with why. */
        public List<String> skippedSnapshots()
        {
            return skippedSnapshots;
        }
    }
}
