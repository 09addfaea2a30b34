package io.stockflow.engine.reliability;

import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.JournalRollCycle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: an engine at a steady rate for {@code stockflow.soakMinutes} (default 60)
 * with periodic snapshots, a journal rolling every minute and an order retention
 * ({@code stockflow.soakRetentionMinutes}, default 5) short enough that the held state
 * reaches its steady size inside the run. Event time is the wall clock, as in a service.
 * Every {@code stockflow.soakSampleSeconds} (default 60) it samples heap after a full GC,
 * process RSS, live threads, open file descriptors, mappings of files under the engine
 * directory, held and forgotten orders and the newest snapshot's bytes; every
 * {@code stockflow.soakLatencyWindowSeconds} (default 300) it prints the latency from each
 * command's planned send time to its release (p50, p99, p99.9, max) over that window.
 * Excluded from the default build (tag {@code soak}); run it with
 * {@code mvn -B -pl engine -am verify -Psoak -Dstockflow.soakMinutes=60}.
 *
 * <p><b>Pass rule, and why.</b> A resource that leaks grows with time or with
 * work; one that is bounded rises while the engine warms up (classes, JIT, the
 * first snapshot, the first roll, the held state filling up to its steady size) and
 * then plateaus with noise. So the samples are split in thirds and the maximum of the
 * last third is compared with the maximum of the first third: for threads, descriptors
 * and mappings (small integers whose steady state is exact) the last third may exceed
 * the first by at most 4 (one snapshot being written or one roll in flight at a
 * sampling instant opens a couple of files and maps); for heap after GC, held orders and
 * snapshot bytes by at most 25% (plus 32 MiB for the heap, since G1's "used after
 * System.gc()" moves by a few MiB between samples). Comparing maxima rather than a fitted
 * slope avoids false alarms from one noisy sample while still failing on anything that
 * keeps growing, which after an hour dwarfs these margins.
 *
 * <p>The state rules only look at samples taken after the held state can have reached
 * its steady size: the workload reserves orders with time-to-live up to 660 s, and an
 * order is forgotten a retention after it settles, so the held state grows for about
 * 11 minutes plus the retention. The warm-up is that plus two minutes unless
 * {@code stockflow.soakWarmupMinutes} says otherwise. Runs too short to have three
 * samples after the warm-up print the state figures but do not judge them; threads,
 * descriptors and mappings are judged always.
 */
@Tag("soak")
class SoakTest
{
    private static final long HEAP_MARGIN_BYTES = 32L << 20;
    private static final double STATE_MARGIN_RATIO = 1.25;
    private static final int COUNT_MARGIN = 4;
    private static final long LONGEST_TTL_MINUTES = 11;
    private static final int PLANNED_RING = 1 << 21;

    @TempDir
    Path directory;

    /** One sample of the process's resources and the engine's state. */
    private record Sample(long elapsedSeconds, long published, long heapAfterGc, long rss, int threads, int fds,
        int maps, long snapshots, long heldOrders, long forgottenOrders, long snapshotBytes)
    {}

    /** Latency from planned send time to release over one window. */
    private record Window(long endSeconds, long count, double p50Us, double p99Us, double p999Us, double maxUs)
    {}

    /**
     * Records, on the thread that releases outcomes, each command's latency from its planned
     * send time. The publisher writes a command's planned time at its sequence's slot before
     * publishing it; publishing hands the slot to the releasing thread (happens-before).
     */
    private static final class ReleaseLatency implements OutcomeListener
    {
        private final long[] plannedBySequence = new long[PLANNED_RING];
        private final Recorder recorder = new Recorder(3);

        @Override
        public void onResult(final long sequence, final long eventTimeMs, final CommandType type,
            final long entityId, final RejectReason rejectReason, final boolean logicError)
        {
            final long planned = plannedBySequence[(int)(sequence & (PLANNED_RING - 1))];
            recorder.recordValue(Math.max(0, System.nanoTime() - planned));
        }

        void plan(final long sequence, final long plannedNs)
        {
            plannedBySequence[(int)(sequence & (PLANNED_RING - 1))] = plannedNs;
        }
    }

    @Test
    // The module's 10-minute default timeout would interrupt the run and fail it at its end; a soak is as
    // long as stockflow.soakMinutes says (plus draining and a recovery), so it sets its own bound.
    @Timeout(value = 24, unit = TimeUnit.HOURS)
    @SuppressWarnings("try") // close() inside try-with-resources on purpose: the test checks what close leaves
    void resourcesAndStateStayBoundedAtASteadyRateWithRetentionSnapshotsAndRollOvers() throws Exception
    {
        final long minutes = Long.getLong("stockflow.soakMinutes", 60);
        final long sampleSeconds = Long.getLong("stockflow.soakSampleSeconds", 60);
        final long windowSeconds = Long.getLong("stockflow.soakLatencyWindowSeconds", 300);
        final long retentionMinutes = Long.getLong("stockflow.soakRetentionMinutes", 5);
        final int rate = Integer.getInteger("stockflow.soakRate", 20_000);
        final JournalRollCycle rollCycle = JournalRollCycle.valueOf(System.getProperty("stockflow.soakRollCycle",
            JournalRollCycle.MINUTELY.name()));
        final Path engineDirectory = directory.resolve("engine");
        final String engineRealPath;
        final List<Sample> samples = new ArrayList<>();
        final List<Window> windows = new ArrayList<>();
        final ReleaseLatency latency = new ReleaseLatency();
        final EngineConfig config = EngineConfig.builder(engineDirectory).rollCycle(rollCycle)
            .snapshotEveryEvents(Long.getLong("stockflow.soakSnapshotEveryEvents", 1_000_000))
            .snapshotsRetained(2)
            .ruleParameters(TimeUnit.MINUTES.toMillis(retentionMinutes), RuleParameters.DEFAULT_ORDER_CAPACITY,
                RuleParameters.DEFAULT_SKU_CAPACITY)
            .build();
        final SnapshotStore snapshots = new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory));
        System.out.printf("soak: %d min at %,d commands/s, %d min order retention, %s roll cycle, sample every %d s,"
            + " latency window %d s%n", minutes, rate, retentionMinutes, rollCycle, sampleSeconds, windowSeconds);
        long published = 0;
        try (StockflowEngine engine = StockflowEngine.builder(config).outcomeListener(latency).build())
        {
            engine.start();
            engineRealPath = engineDirectory.toRealPath().toString();
            final WorkloadGenerator generator = new WorkloadGenerator(2_024, 2_000);
            final GeneratedCommand command = new GeneratedCommand();
            final CommandPublisher publisher = engine.publisher();
            final long start = System.nanoTime();
            final long end = start + TimeUnit.MINUTES.toNanos(minutes);
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            long nextSample = start;
            long nextWindow = start + TimeUnit.SECONDS.toNanos(windowSeconds);
            long planned = start;
            long refused = 0;
            latency.recorder.reset();
            while (true)
            {
                final long now = System.nanoTime();
                if (now - nextWindow >= 0)
                {
                    windows.add(window((now - start) / 1_000_000_000L, latency.recorder.getIntervalHistogram()));
                    printWindow(windows.get(windows.size() - 1));
                    nextWindow += TimeUnit.SECONDS.toNanos(windowSeconds);
                }
                if (now - nextSample >= 0)
                {
                    samples.add(sample((now - start) / 1_000_000_000L, published, engine, engineRealPath, snapshots));
                    printSample(samples.get(samples.size() - 1), samples.size() == 1);
                    nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
                    planned = Math.max(planned, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
                }
                if (now - end >= 0)
                {
                    break;
                }
                if (now - planned < 0)
                {
                    LockSupport.parkNanos(Math.min(planned - now, 200_000));
                    continue;
                }
                generator.next(command);
                latency.plan(published + 1, planned);
                final long result = command.publishTo(publisher, false);
                if (result > 0)
                {
                    assertEquals(published + 1, result, "the soak is the only publisher: sequences follow on");
                    published = result;
                }
                else if (result == PublishRefusal.BACKPRESSURE)
                {
                    refused++;
                }
                else
                {
                    throw new AssertionError(
                        "engine refused: " + PublishRefusal.name(result) + " " + engine.haltReason());
                }
                planned += intervalNs;
            }
            assertTrue(engine.awaitReleased(published, Duration.ofSeconds(60)));
            final long hash = liveHash(engine);
            System.out.printf(
                "soak: published %,d commands (%,d shed by back-pressure), %d snapshots, %d journal files,"
                    + " %,d orders forgotten%n",
                published, refused, engine.counters().get(EngineCounter.SNAPSHOTS), journalFiles(engineDirectory),
                engine.counters().get(EngineCounter.ORDERS_FORGOTTEN));
            engine.close();
            assertEquals(hash, EngineTestSupport.recover(engineDirectory, true, Long.MAX_VALUE).replayer().state()
                .stateHash(), "after the soak, snapshot + journal recovery gives the live state");
        }
        printReadmeTable(samples, windows);
        assertTrue(samples.size() >= 3, "at least three samples: " + samples.size());
        final List<String> growing = new ArrayList<>();
        final long warmupSeconds = TimeUnit.MINUTES.toSeconds(
            Long.getLong("stockflow.soakWarmupMinutes", LONGEST_TTL_MINUTES + retentionMinutes + 2));
        final List<Sample> warm = samples.stream().filter(s -> s.elapsedSeconds >= warmupSeconds).toList();
        if (warm.size() >= 3)
        {
            checkState("heap after GC", warm, Sample::heapAfterGc, HEAP_MARGIN_BYTES, growing);
            checkState("held orders", warm, Sample::heldOrders, 0, growing);
            checkState("newest snapshot bytes", warm, Sample::snapshotBytes, 0, growing);
        }
        else
        {
            System.out.printf("soak: state not judged: %d samples after the %d s warm-up, 3 needed%n", warm.size(),
                warmupSeconds);
        }
        final int third = Math.max(1, samples.size() / 3);
        final List<Sample> first = samples.subList(0, third);
        final List<Sample> last = samples.subList(samples.size() - third, samples.size());
        checkCount("threads", first.stream().mapToInt(Sample::threads).max().orElseThrow(),
            last.stream().mapToInt(Sample::threads).max().orElseThrow(), growing);
        checkCount("file descriptors", first.stream().mapToInt(Sample::fds).max().orElseThrow(),
            last.stream().mapToInt(Sample::fds).max().orElseThrow(), growing);
        checkCount("mappings under the engine directory", first.stream().mapToInt(Sample::maps).max().orElseThrow(),
            last.stream().mapToInt(Sample::maps).max().orElseThrow(), growing);
        assertTrue(growing.isEmpty(), "resources growing without bound: " + growing);
    }

    private static void checkState(final String what, final List<Sample> warm, final ToLongFunction<Sample> value,
        final long marginBytes, final List<String> growing)
    {
        final int third = Math.max(1, warm.size() / 3);
        final long first = warm.subList(0, third).stream().mapToLong(value).max().orElseThrow();
        final long last = warm.subList(warm.size() - third, warm.size()).stream().mapToLong(value).max()
            .orElseThrow();
        System.out.printf("soak: %s after the warm-up, max of the first third %,d, of the last third %,d (%.2f)%n",
            what, first, last, (double)last / Math.max(1, first));
        if (last > first * STATE_MARGIN_RATIO + marginBytes)
        {
            growing.add(what + " " + first + " -> " + last);
        }
    }

    private static void checkCount(final String what, final int first, final int last, final List<String> growing)
    {
        if (last > first + COUNT_MARGIN)
        {
            growing.add(what + " " + first + " -> " + last);
        }
    }

    private static Sample sample(final long elapsedSeconds, final long published, final StockflowEngine engine,
        final String engineRealPath, final SnapshotStore snapshots) throws IOException
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        final int fds;
        try (Stream<Path> list = Files.list(Paths.get("/proc/self/fd")))
        {
            fds = (int)list.count();
        }
        final List<String> mappings = Files.readAllLines(Paths.get("/proc/self/maps"));
        final int maps = (int)mappings.stream().filter(line -> line.contains(engineRealPath)).count();
        final List<Path> newest = snapshots.listNewestFirst();
        final long snapshotBytes = newest.isEmpty() ? 0 : SnapshotStore.sizeOf(newest.get(0));
        return new Sample(elapsedSeconds, published, heap, rssBytes(), threads, fds, maps,
            engine.counters().get(EngineCounter.SNAPSHOTS), engine.counters().get(EngineCounter.ORDERS),
            engine.counters().get(EngineCounter.ORDERS_FORGOTTEN), snapshotBytes);
    }

    /** Resident set size from /proc/self/status (VmRSS, in kB). */
    private static long rssBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Paths.get("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS line in /proc/self/status");
    }

    private static Window window(final long endSeconds, final Histogram histogram)
    {
        return new Window(endSeconds, histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e3,
            histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3,
            histogram.getMaxValue() / 1e3);
    }

    private static void printSample(final Sample sample, final boolean header)
    {
        if (header)
        {
            System.out.printf("%8s %14s %14s %14s %8s %6s %6s %10s %12s %14s %14s%n", "elapsed", "published",
                "heapAfterGC", "rss", "threads", "fds", "maps", "snapshots", "held", "forgotten", "snapshotBytes");
        }
        System.out.printf("%7ds %,14d %,14d %,14d %8d %6d %6d %10d %,12d %,14d %,14d%n", sample.elapsedSeconds,
            sample.published, sample.heapAfterGc, sample.rss, sample.threads, sample.fds, sample.maps,
            sample.snapshots, sample.heldOrders, sample.forgottenOrders, sample.snapshotBytes);
        System.out.flush();
    }

    private static void printWindow(final Window window)
    {
        System.out.printf("soak: latency window ending %d s: %,d commands, p50 %.1f us, p99 %.1f us, p99.9 %.1f us,"
            + " max %.1f us%n", window.endSeconds, window.count, window.p50Us, window.p99Us, window.p999Us,
            window.maxUs);
        System.out.flush();
    }

    /**
     * One row per latency window, with the resource sample nearest its end: the table the
     * README's soak section quotes.
     */
    private static void printReadmeTable(final List<Sample> samples, final List<Window> windows)
    {
        System.out.println("| minute | threads | fds | mappings | heap after GC (MiB) | RSS (MiB) | held orders"
            + " | newest snapshot (MiB) | p50 (us) | p99 (us) | p99.9 (us) | max (us) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (final Window window : windows)
        {
            Sample nearest = samples.get(0);
            for (final Sample sample : samples)
            {
                if (sample.elapsedSeconds <= window.endSeconds)
                {
                    nearest = sample;
                }
            }
            System.out.printf("| %d | %d | %d | %d | %,d | %,d | %,d | %.1f | %.1f | %,.0f | %,.0f | %,.0f |%n",
                window.endSeconds / 60, nearest.threads, nearest.fds, nearest.maps, nearest.heapAfterGc >> 20,
                nearest.rss >> 20, nearest.heldOrders, nearest.snapshotBytes / 1048576.0, window.p50Us,
                window.p99Us, window.p999Us, window.maxUs);
        }
        System.out.flush();
    }

    private static long journalFiles(final Path engineDirectory) throws IOException
    {
        try (Stream<Path> list = Files.list(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            return list.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}
