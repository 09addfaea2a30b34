package io.stockflow.perf.harness;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.archival.JournalArchivalWorker;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.LatencyRecorder;
import io.stockflow.engine.recovery.ReplayStats;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * {@code bench longrun}: does the engine's memory stay bounded once order retention
 * forgets settled orders? One engine, the demo's mix, {@code events} commands whose event
 * time ({@code ts}) advances at a fixed rate of event time whatever the engine's own speed,
 * so a run of a few minutes covers hours of traffic, and retention (which works in event
 * time) forgets orders as it would at that rate. The publisher sends as fast as the engine
 * takes (retrying BACKPRESSURE); at every tenth of the run it waits until all is released
 * and the snapshot due by then is written, and samples heap after GC, RSS, held and forgotten orders, the newest snapshot's size
 * and the journal's size. The run is checked before any figure is returned: every command
 * published and released, counters agreeing with the state, no shadow-state divergence,
 * no failed snapshot, and the state hash equal to a fresh replay of the journal.
 */
public final class LongRunHarness
{
    /** Samples per run, one at the end of each tenth. */
    public static final int SAMPLES = 10;
    /**
     * The first command's event time: the demo generator's own start, so the journal is the
     * same from run to run (and replays to the same state).
     */
    public static final long EVENT_TIME_START_MS = 1_700_000_000_000L;

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    private static final long PARK_NS = 1_000_000;
    /**
     * Longest wait for the archiver's pass after a snapshot: the pass the snapshot wakes it for, or
     * the next one, its own recheck, when that pass had begun before the wait; plus the pass itself.
     */
    private static final Duration ARCHIVER_PASS_TIMEOUT =
        JournalArchivalWorker.RECHECK_INTERVAL.multipliedBy(2).plusSeconds(30);

    private LongRunHarness()
    {
    }

    /**
     * @param events    commands to send, at least {@value #SAMPLES}.
     * @param eventRate commands per second of event time.
     * @param settings  engine settings (the retention among them).
     * @param directory a fresh engine directory.
     * @param onSample  called with each sample as it is taken (progress); may print.
     * @return the run's checked figures.
     */
    public static LongRun run(
        final long events,
        final long eventRate,
        final BenchEngine.Settings settings,
        final Path directory,
        final Consumer<LongRunSample> onSample)
    {
        BenchCheckException.check(events >= SAMPLES && eventRate > 0, "need events >= " + SAMPLES
            + " and eventRate > 0");
        final List<LongRunSample> samples = new ArrayList<>();
        final SnapshotStore snapshots = new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
        final BenchEngine engine = BenchEngine.start(settings, directory, LatencyRecorder.NONE, null);
        final DiskUsage disk = DiskUsage.forPath(directory);
        final EffectivePlan plan;
        final long elapsedNs;
        final long forgotten;
        final double holdMaxUs;
        final long written;
        final ReplayStats replay;
        try
        {
            plan = engine.engine().affinityPlan();
            BenchPlans.confinePublisher(plan);
            final WorkloadGenerator generator = DemoWorkload.generator();
            final GeneratedCommand command = new GeneratedCommand();
            long sent = 0;
            long timed = 0;
            long archiverSawSnapshot = 0;
            for (int tenth = 1; tenth <= SAMPLES; tenth++)
            {
                final long end = events * tenth / SAMPLES;
                final long start = System.nanoTime();
                long ts = EVENT_TIME_START_MS;
                for (; sent < end; sent++)
                {
                    generator.next(command);
                    ts = EVENT_TIME_START_MS + sent * 1_000 / eventRate;
                    engine.publish(command, ts);
                }
                engine.awaitAllReleased(DRAIN_TIMEOUT);
                final long tenthNs = System.nanoTime() - start;
                timed += tenthNs;
                final long shadowLag = settings.shadowState()
                    ? sent - engine.counter(EngineCounter.SHADOW_SEQUENCE) : 0;
                final long snapshot = awaitSnapshot(engine, sent, settings.snapshotEveryEvents());
                if (settings.archives() && snapshot > archiverSawSnapshot)
                {
                    awaitArchiverPass(engine, snapshots, engine.engine().config().snapshotsRetained(), snapshot);
                    archiverSawSnapshot = snapshot;
                }
                final LongRunSample sample = sample(engine, snapshots, disk, directory, settings.archiveInto(), sent,
                    ts, shadowLag,
                    (end - events * (tenth - 1) / SAMPLES) * 1e9 / tenthNs);
                samples.add(sample);
                onSample.accept(sample);
            }
            elapsedNs = timed;
            BenchCheckException.check(engine.lastSequence() == events, "engine published " + engine.lastSequence()
                + " of " + events + " commands");
            checkCountersAgreeWithState(engine);
            BenchCheckException.check(engine.counter(EngineCounter.SHADOW_DIVERGENCES) == 0,
                "the live state diverged from the shadow state (the journal's replay) at "
                    + engine.counter(EngineCounter.SHADOW_DIVERGENCES) + " checkpoint(s)");
            BenchCheckException.check(engine.counter(EngineCounter.SNAPSHOT_FAILURES) == 0,
                engine.counter(EngineCounter.SNAPSHOT_FAILURES) + " snapshot write(s) failed");
            BenchCheckException.check(engine.counter(EngineCounter.ARCHIVE_FAILURES) == 0,
                engine.counter(EngineCounter.ARCHIVE_FAILURES) + " archival pass(es) failed (see the log): the"
                    + " samples would show cycle files the archiver could not move");
            forgotten = engine.counter(EngineCounter.ORDERS_FORGOTTEN);
            holdMaxUs = engine.counter(EngineCounter.SNAPSHOT_HOLD_MAX_NS) / 1e3;
            written = engine.counter(EngineCounter.SNAPSHOTS);
            replay = engine.finish();
        }
        finally
        {
            BenchPlans.releasePublisher();
            engine.close();
        }
        return new LongRun(List.copyOf(samples), events * 1e9 / elapsedNs, forgotten, holdMaxUs, written,
            engine.refusals(), replay.eventsPerSecond(), disk.method(), plan);
    }

    private static LongRunSample sample(
        final BenchEngine engine,
        final SnapshotStore snapshots,
        final DiskUsage disk,
        final Path directory,
        final Path archive,
        final long events,
        final long eventTimeMs,
        final long shadowLag,
        final double eps)
    {
        final long heap = ProcessMemory.heapAfterGc();
        final long rss = ProcessMemory.rssBytes();
        final List<Path> newest = snapshots.listNewestFirst();
        final long snapshotBytes = newest.isEmpty() ? 0 : SnapshotStore.sizeOf(newest.get(0));
        BenchCheckException.check(snapshotBytes >= 0, "cannot list the files of snapshot " + newest);
        return new LongRunSample(events, eventTimeMs, heap, rss, engine.counter(EngineCounter.ORDERS),
            engine.counter(EngineCounter.ORDERS_FORGOTTEN), snapshotBytes,
            disk.bytes(EngineConfig.journalDirectoryOf(directory)), disk.bytes(directory),
            engine.counter(EngineCounter.ARCHIVED_CYCLES), archive == null ? 0 : disk.bytes(archive), shadowLag, eps);
    }

    /**
     * Waits until the snapshot thread has written the snapshot due at or before {@code last}
     * (snapshots by count fall due at multiples of {@code every}). The shadow state it
     * snapshots from follows the journal on its own thread, which a busy publisher can
     * starve on a small machine; without this wait the newest snapshot would say how far
     * behind the shadow was, not how large the state is. The wait is not timed.
     *
     * @return the due snapshot's sequence, 0 when none is due yet.
     */
    private static long awaitSnapshot(final BenchEngine engine, final long last, final long every)
    {
        if (every <= 0 || last < every)
        {
            return 0;
        }
        final long due = last - last % every;
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (engine.counter(EngineCounter.SNAPSHOT_LAST_SEQUENCE) < due)
        {
            BenchCheckException.check(engine.counter(EngineCounter.SNAPSHOT_FAILURES) == 0,
                "a snapshot write failed, or the shadow state stopped");
            BenchCheckException.check(System.nanoTime() - deadline < 0, "no snapshot at sequence " + due + " within "
                + DRAIN_TIMEOUT + ": the newest is at " + engine.counter(EngineCounter.SNAPSHOT_LAST_SEQUENCE)
                + ", the shadow state at " + engine.counter(EngineCounter.SHADOW_SEQUENCE));
            LockSupport.parkNanos(PARK_NS);
        }
        return due;
    }

    /**
     * Waits (outside the timed figures) until the archiver has ended a pass that began after the snapshot at
     * {@code snapshot} was written and the older snapshots beyond the retained ones were removed:
     * that pass saw the oldest retained snapshot this sample has, so the sample's engine directory
     * holds what archival keeps, not the cycle files the archiver was about to take.
     *
     * <p>Two steps. The snapshot thread sets {@code SNAPSHOT_LAST_SEQUENCE} before it applies
     * retention, and the oldest retained snapshot is what bounds the archiver, so first the
     * snapshot directory must be back to {@code retained} snapshots (each is renamed away before
     * it is deleted, so it leaves the listing at once). Then the passes: one counter of ended
     * passes read now would not do, since a pass under way may have listed the snapshots before
     * the retention, and its end proves nothing. A pass counted as begun after this thread reads
     * {@code ARCHIVE_PASSES_STARTED} as n began after the retention (the archiver fences between
     * the count and its listing), and passes end in order on the one archiver thread, so
     * {@code ARCHIVE_PASSES} reaching n + 1 is the first moment that is certain. Waiting for two
     * more ended passes would be correct too (at most one pass is under way), but never sooner and
     * up to a whole {@link JournalArchivalWorker#RECHECK_INTERVAL} later. The price of being exact:
     * when the pass the snapshot woke had already begun at the read (about one sample in five in
     * the tests on 2 CPUs), it cannot be told from one begun before the retention, and the wait runs
     * to the next pass, the archiver's own recheck up to that interval later.
     */
    private static void awaitArchiverPass(
        final BenchEngine engine, final SnapshotStore snapshots, final int retained, final long snapshot)
    {
        final long deadline = System.nanoTime() + ARCHIVER_PASS_TIMEOUT.toNanos();
        while (snapshots.listNewestFirst().size() > retained)
        {
            BenchCheckException.check(System.nanoTime() - deadline < 0, "the snapshot thread kept more than "
                + retained + " snapshots for " + ARCHIVER_PASS_TIMEOUT + " after writing the one at sequence "
                + snapshot + ": " + snapshots.listNewestFirst());
            LockSupport.parkNanos(PARK_NS);
        }
        final long begun = engine.counter(EngineCounter.ARCHIVE_PASSES_STARTED);
        while (engine.counter(EngineCounter.ARCHIVE_PASSES) <= begun)
        {
            BenchCheckException.check(System.nanoTime() - deadline < 0, "the archiver ended no pass begun after"
                + " the snapshot at sequence " + snapshot + " within " + ARCHIVER_PASS_TIMEOUT + ": passes begun "
                + engine.counter(EngineCounter.ARCHIVE_PASSES_STARTED) + ", ended "
                + engine.counter(EngineCounter.ARCHIVE_PASSES) + " (" + begun + " begun when the wait started)");
            LockSupport.parkNanos(PARK_NS);
        }
    }

    /**
     * The held and forgotten orders are read from the counters, which the logic stage
     * updates at each batch end; a query through the ring reads the state itself, so a
     * counter that lagged or was never set fails the run instead of being plotted.
     */
    private static void checkCountersAgreeWithState(final BenchEngine engine)
    {
        final long[] state;
        try
        {
            state = engine.engine().query(view -> new long[] {view.orderCount(), view.ordersForgotten()})
                .get(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new BenchCheckException("interrupted while reading the state");
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new BenchCheckException("cannot read the engine's state: " + e);
        }
        engine.awaitAllReleased(DRAIN_TIMEOUT);
        final long held = engine.counter(EngineCounter.ORDERS);
        final long forgotten = engine.counter(EngineCounter.ORDERS_FORGOTTEN);
        BenchCheckException.check(held == state[0] && forgotten == state[1], "counters say " + held + " held and "
            + forgotten + " forgotten orders, the state " + state[0] + " and " + state[1]);
        BenchCheckException.check(held > 0, "the engine holds no orders at the end of the run");
    }
}
