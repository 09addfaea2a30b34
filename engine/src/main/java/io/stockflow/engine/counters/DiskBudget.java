package io.stockflow.engine.counters;

import io.stockflow.engine.jfr.DiskSpaceWarningEvent;
import io.stockflow.journal.DiskUsage;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The journal's disk budget, a duty of the {@link CountersSampler} thread (never of a stage): about
 * every five seconds it measures the journal directory's bytes on disk (the blocks allocated, since
 * cycle files are sparse), the free bytes on its file system and the commands the directory holds,
 * and publishes them with the bytes per command and the bytes a day the current command rate
 * writes, so {@code stat} and {@code info} show how many days the disk lasts.
 *
 * <p>When free space falls below the warning level (which lies above the level at which the
 * journal refuses records and the engine halts) it logs one line, commits one
 * {@link DiskSpaceWarningEvent} and counts {@code DISK_FREE_WARNINGS}; it warns again only after
 * free space was back a tenth above the level.
 */
public final class DiskBudget
{
    /** How often the directory is measured ({@code du} walks it, so not every ring sample). */
    public static final long SAMPLE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = LoggerFactory.getLogger(DiskBudget.class);
    private static final double SECONDS_A_DAY = 86_400.0;
    /* Weight of the newest interval in the command rate: smooths bursts over about half a minute. */
    private static final double RATE_WEIGHT = 0.2;

    private final CountersFile counters;
    private final LongSupplier directoryBytes;
    private final LongSupplier freeBytes;
    private final LongSupplier firstSequence;
    private final LongSupplier lastSequence;
    private final long warningBytes;
    private final long haltBytes;

    // Sampler thread only.
    private long previousNs;
    private long previousLast = -1;
    private double commandsPerSecond;
    private boolean warned;

    /**
     * @param counters       where the figures go.
     * @param directoryBytes the journal directory's bytes on disk now, -1 if unknown.
     * @param freeBytes      usable bytes on its file system now, -1 if unknown.
     * @param firstSequence  the first sequence the directory holds (later than 1 after archival).
     * @param lastSequence   the journal's last sequence.
     * @param warningBytes   warn below this many free bytes; 0 never.
     * @param haltBytes      the journal refuses records below this many (for the warning's text).
     */
    public DiskBudget(final CountersFile counters, final LongSupplier directoryBytes, final LongSupplier freeBytes,
        final LongSupplier firstSequence, final LongSupplier lastSequence, final long warningBytes,
        final long haltBytes)
    {
        this.counters = counters;
        this.directoryBytes = directoryBytes;
        this.freeBytes = freeBytes;
        this.firstSequence = firstSequence;
        this.lastSequence = lastSequence;
        this.warningBytes = warningBytes;
        this.haltBytes = haltBytes;
    }

    /**
     * @param counters     where the figures go.
     * @param journal      the engine's open journal.
     * @param warningBytes warn below this many free bytes; 0 never.
     * @return the budget of that journal's directory.
     */
    public static DiskBudget of(final CountersFile counters, final Journal journal, final long warningBytes)
    {
        final Path directory = journal.config().directory();
        return new DiskBudget(counters, () -> DiskUsage.allocatedBytes(directory),
            () -> DiskUsage.usableBytes(directory),
            () -> journal.history().map(JournalHistory::firstSequence).orElse(1L), journal::lastSequence,
            warningBytes, journal.config().minFreeDiskBytes());
    }

    /**
     * Measures and publishes. Sampler thread only.
     *
     * @param nowNs {@link System#nanoTime()} now.
     */
    public void sample(final long nowNs)
    {
        final long onDisk = directoryBytes.getAsLong();
        final long free = freeBytes.getAsLong();
        final long last = lastSequence.getAsLong();
        final long commands = Math.max(0, last - firstSequence.getAsLong() + 1);
        final long bytesPerCommand = onDisk > 0 && commands > 0 ? onDisk / commands : 0;
        if (previousLast >= 0 && nowNs > previousNs)
        {
            final double rate = Math.max(0, last - previousLast) / ((nowNs - previousNs) / 1e9);
            commandsPerSecond = commandsPerSecond == 0 ? rate
                : RATE_WEIGHT * rate + (1 - RATE_WEIGHT) * commandsPerSecond;
        }
        previousLast = last;
        previousNs = nowNs;
        final long bytesPerDay = (long)(bytesPerCommand * commandsPerSecond * SECONDS_A_DAY);
        counters.set(EngineCounter.JOURNAL_DISK_BYTES, Math.max(0, onDisk));
        counters.set(EngineCounter.JOURNAL_DISK_BYTES_PER_COMMAND, bytesPerCommand);
        counters.set(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY, bytesPerDay);
        counters.set(EngineCounter.DISK_FREE_BYTES, Math.max(0, free));
        counters.set(EngineCounter.DISK_FREE_WARNING_BYTES, warningBytes);
        checkFreeSpace(free, bytesPerDay);
    }

    private void checkFreeSpace(final long free, final long bytesPerDay)
    {
        if (warningBytes <= 0 || free < 0)
        {
            return;
        }
        if (!warned && free < warningBytes)
        {
            warned = true;
            counters.add(EngineCounter.DISK_FREE_WARNINGS, 1);
            LOG.warn("journal file system has {} bytes free, below the warning level {}; the journal refuses records"
                + " and the engine halts below {}{}: archive or delete old cycle files (stockflow archive, or the"
                + " engine's archiver) or free space", free, warningBytes, haltBytes,
                bytesPerDay > 0 ? String.format(", %.1f days away at the current rate",
                    Math.max(0, free - haltBytes) / (double)bytesPerDay) : "");
            final DiskSpaceWarningEvent event = new DiskSpaceWarningEvent();
            event.freeBytes = free;
            event.warningBytes = warningBytes;
            event.haltBytes = haltBytes;
            event.journalBytesPerDay = bytesPerDay;
            event.commit();
        }
        else if (warned && free >= warningBytes + warningBytes / 10)
        {
            warned = false;
        }
    }
}
