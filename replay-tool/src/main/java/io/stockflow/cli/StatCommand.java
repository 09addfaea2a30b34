package io.stockflow.cli;

import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code stockflow stat}: the engine's counters, read from its memory-mapped
 * counters file by another process, live or after a crash (post-mortem), without
 * pausing or disturbing the engine.
 */
@Command(name = "stat", mixinStandardHelpOptions = true, description = "Print the engine's live counters (from DIR/counters.dat), or the last values after it stopped.")
final class StatCommand implements Callable<Integer>
{
    /** A live engine's sampler refreshes the heartbeat every second; older than this means it is stuck. */
    private static final long STALE_HEARTBEAT_MS = 3_000;

    @Mixin
    private EngineDirectory directory;

    @Option(names = "--watch", paramLabel = "SECONDS", description = "Print again every SECONDS, with rates.")
    private double watchSeconds;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0", description = "With --watch, stop after N samples (default: until interrupted).")
    private int samples;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        if (!(watchSeconds >= 0 && watchSeconds <= 86_400))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--watch takes the seconds between samples, 0 (print once) to 86400, was " + watchSeconds);
        }
        if (samples < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be >= 0, was " + samples);
        }
        directory.existingForCounters();
        final PrintWriter out = spec.commandLine().getOut();
        final Path file = directory.directory.resolve(CountersLayout.FILE_NAME);
        final CountersReader reader = new CountersReader(file);
        CountersReader.Sample previous = null;
        long previousNs = 0;
        int printed = 0;
        while (true)
        {
            final CountersReader.Sample sample;
            try
            {
                sample = reader.read();
            }
            catch (final NoSuchFileException e)
            {
                throw new UserException(ExitCodes.NO_INPUT, "no counters in " + directory.directory
                    + ": no engine has run there yet, or it runs with counters off (the file "
                    + CountersLayout.FILE_NAME
                    + " is missing)");
            }
            catch (final IllegalArgumentException e)
            {
                throw new UserException(ExitCodes.DATA_ERROR, e.getMessage());
            }
            final long now = System.nanoTime();
            print(out, sample, previous, (now - previousNs) / 1e9);
            out.flush();
            printed++;
            if (watchSeconds <= 0 || (samples > 0 && printed >= samples))
            {
                return ExitCodes.OK;
            }
            previous = sample;
            previousNs = now;
            TimeUnit.MILLISECONDS.sleep((long)(watchSeconds * 1000));
        }
    }

    private static void print(
        final PrintWriter out, final CountersReader.Sample sample, final CountersReader.Sample previous,
        final double seconds)
    {
        final long heartbeatAgeMs = System.currentTimeMillis() - sample.heartbeatMs();
        final String status = sample.closedCleanly() ? "stopped cleanly"
            : sample.writerAlive() ? (heartbeatAgeMs > STALE_HEARTBEAT_MS
                ? "running, but its heartbeat is " + heartbeatAgeMs / 1000 + " s old (engine stalled?)" : "running")
                : "process no longer alive: these are its last values (post-mortem)";
        out.printf("engine pid %d, started %s, %s%n", sample.pid(), Instant.ofEpochMilli(sample.startTimeMs()),
            status);
        out.printf("%-10s %-30s %20s%s  %s%n", "STAGE", "COUNTER", "VALUE", previous == null ? "" : "          /s",
            "MEANING");
        for (final EngineCounter counter : EngineCounter.values())
        {
            if (!sample.has(counter))
            {
                out.printf("%-10s %-30s %20s  %s%n", counter.owner(), counter.name().toLowerCase(Locale.ROOT), "n/a",
                    counter.description() + " (not in this file: written by another version of the engine)");
                continue;
            }
            final long value = sample.get(counter);
            final String rate = previous == null ? ""
                : counter.isLevel() ? String.format("%12s", "")
                    : String.format("%12.0f", (value - previous.get(counter)) / Math.max(1e-9, seconds));
            out.printf("%-10s %-30s %,20d%s  %s%n", counter.owner(), counter.name().toLowerCase(Locale.ROOT), value,
                rate, counter.description());
        }
        for (final String label : sample.unknownLabels())
        {
            out.printf("%-10s %-30s %,20d%s  %s%n", "?", label.toLowerCase(Locale.ROOT), sample.valueOf(label),
                previous == null ? "" : String.format("%12s", ""), "(written by another version of the engine)");
        }
        printDerived(out, sample, previous, seconds);
        out.println();
    }

    /** Figures a person wants that are ratios of counters: batch sizes, busy time, ring use, latency. */
    private static void printDerived(
        final PrintWriter out, final CountersReader.Sample sample, final CountersReader.Sample previous,
        final double seconds)
    {
        out.println();
        out.println("derived");
        stage(out, "journal", sample, previous, EngineCounter.JOURNAL_EVENTS, EngineCounter.JOURNAL_BATCHES,
            EngineCounter.JOURNAL_WORK_NS, EngineCounter.JOURNAL_WAIT_NS, seconds);
        stage(out, "logic", sample, previous, EngineCounter.LOGIC_EVENTS, EngineCounter.LOGIC_BATCHES,
            EngineCounter.LOGIC_WORK_NS, EngineCounter.LOGIC_WAIT_NS, seconds);
        stage(out, "outcome", sample, previous, EngineCounter.OUTCOME_EVENTS, EngineCounter.OUTCOME_BATCHES,
            EngineCounter.OUTCOME_WORK_NS, EngineCounter.OUTCOME_WAIT_NS, seconds);
        final long capacity = sample.get(EngineCounter.RING_CAPACITY);
        if (capacity > 0)
        {
            out.printf("  ring       %.1f%% free now (%,d of %,d slots), lowest seen %,d%n",
                100.0 * sample.get(EngineCounter.RING_FREE) / capacity, sample.get(EngineCounter.RING_FREE), capacity,
                sample.get(EngineCounter.RING_FREE_MIN));
        }
        out.printf("  pipeline   %,d published but not yet released%n",
            Math.max(0, sample.get(EngineCounter.PUBLISHED) - sample.get(EngineCounter.OUTCOME_SEQUENCE)));
        final long records = sample.get(EngineCounter.JOURNAL_RECORDS);
        out.printf("  journal    %s bytes per record, %,d records not yet durable, %,d minor page faults on the "
            + "journal thread, %,d pages pretouched, %,d roll-overs%n",
            records == 0 ? "-" : String.format("%.1f", (double)sample.get(EngineCounter.JOURNAL_BYTES) / records),
            Math.max(0, sample.get(EngineCounter.JOURNAL_SEQUENCE)
                - sample.get(EngineCounter.JOURNAL_COMMITTED_SEQUENCE)),
            sample.get(EngineCounter.JOURNAL_MINOR_FAULTS), sample.get(EngineCounter.JOURNAL_PRETOUCHED_PAGES),
            sample.get(EngineCounter.JOURNAL_ROLL_OVERS));
        out.printf("  snapshots  shadow state at sequence %,d, %,d behind the journal's committed sequence, %,d events"
            + " applied; %,d checkpoints matched, %,d diverged; logic stage held %s last, %s at most%n",
            sample.get(EngineCounter.SHADOW_SEQUENCE), sample.get(EngineCounter.SHADOW_LAG),
            sample.get(EngineCounter.SHADOW_EVENTS), sample.get(EngineCounter.SHADOW_CHECKPOINTS),
            sample.get(EngineCounter.SHADOW_DIVERGENCES), micros(sample.get(EngineCounter.SNAPSHOT_LAST_HOLD_NS)),
            micros(sample.get(EngineCounter.SNAPSHOT_HOLD_MAX_NS)));
        printDisk(out, sample);
        out.printf("  latency    last %.1f s: %,d events, p50 %s, p99 %s, p99.9 %s, max %s; worst since start %s%n",
            sample.get(EngineCounter.LATENCY_INTERVAL_NS) / 1e9, sample.get(EngineCounter.LATENCY_INTERVAL_COUNT),
            micros(sample.get(EngineCounter.LATENCY_P50_NS)), micros(sample.get(EngineCounter.LATENCY_P99_NS)),
            micros(sample.get(EngineCounter.LATENCY_P999_NS)),
            micros(sample.get(EngineCounter.LATENCY_INTERVAL_MAX_NS)),
            micros(sample.get(EngineCounter.LATENCY_MAX_NS)));
    }

    /** The disk budget: what the journal takes, what is left, and how long that lasts at the current rate. */
    private static void printDisk(final PrintWriter out, final CountersReader.Sample sample)
    {
        if (!sample.has(EngineCounter.DISK_FREE_BYTES))
        {
            return;
        }
        final long free = sample.get(EngineCounter.DISK_FREE_BYTES);
        final long perDay = sample.get(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY);
        out.printf(
            "  disk       journal %,d B on disk, %,d B a command; %,d B free on its file system (warning below %,d,"
                + " %d warning(s)); %s; archived %,d cycle file(s), %,d B%n",
            sample.get(EngineCounter.JOURNAL_DISK_BYTES),
            sample.get(EngineCounter.JOURNAL_DISK_BYTES_PER_COMMAND), free,
            sample.get(EngineCounter.DISK_FREE_WARNING_BYTES), sample.get(EngineCounter.DISK_FREE_WARNINGS),
            InfoCommand.daysLeft(free, perDay), sample.get(EngineCounter.ARCHIVED_CYCLES),
            sample.get(EngineCounter.ARCHIVED_BYTES));
    }

    private static void stage(
        final PrintWriter out, final String name, final CountersReader.Sample sample,
        final CountersReader.Sample previous, final EngineCounter events, final EngineCounter batches,
        final EngineCounter work, final EngineCounter wait, final double seconds)
    {
        final long eventCount = delta(sample, previous, events);
        final long batchCount = delta(sample, previous, batches);
        final double busy;
        if (previous != null)
        {
            busy = 100.0 * delta(sample, previous, work) / Math.max(1.0, seconds * 1e9);
        }
        else
        {
            final long total = sample.get(work) + sample.get(wait);
            busy = total == 0 ? 0 : 100.0 * sample.get(work) / total;
        }
        out.printf("  %-10s mean batch %s events, busy %.1f%% of the time%s%n", name,
            batchCount == 0 ? "-" : String.format("%.1f", (double)eventCount / batchCount), Math.min(100.0, busy),
            previous == null ? " since start" : " in the last interval");
    }

    private static long delta(
        final CountersReader.Sample sample, final CountersReader.Sample previous, final EngineCounter counter)
    {
        return sample.get(counter) - (previous == null ? 0 : previous.get(counter));
    }

    private static String micros(final long nanos)
    {
        return String.format("%.1f us", nanos / 1e3);
    }
}
