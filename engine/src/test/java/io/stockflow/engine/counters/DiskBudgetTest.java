package io.stockflow.engine.counters;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The disk budget's figures and its free-space warning, driven with controlled measurements and
 * clock (no thread, no disk): bytes per command over the commands the directory holds (after
 * archival it starts later), bytes a day at the measured command rate, one warning per crossing
 * of the level and armed again a tenth above it; and the sampler runs it at start and every five
 * seconds.
 */
class DiskBudgetTest
{
    private static final long START_NS = 1_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long WARNING = 1_000_000_000L;

    private final CountersFile counters = CountersFile.inMemory();
    private final AtomicLong directoryBytes = new AtomicLong(100_000);
    private final AtomicLong freeBytes = new AtomicLong(50_000_000_000L);
    private final AtomicLong firstSequence = new AtomicLong(1);
    private final AtomicLong lastSequence = new AtomicLong(1_000);
    private final DiskBudget budget = new DiskBudget(counters, directoryBytes::get, freeBytes::get,
        firstSequence::get, lastSequence::get, WARNING, 64L << 20);

    @Test
    void publishesBytesOnDiskPerCommandAndTheBytesADayTheCurrentRateWrites()
    {
        budget.sample(START_NS);
        assertEquals(100_000, counters.get(EngineCounter.JOURNAL_DISK_BYTES));
        assertEquals(100, counters.get(EngineCounter.JOURNAL_DISK_BYTES_PER_COMMAND));
        assertEquals(50_000_000_000L, counters.get(EngineCounter.DISK_FREE_BYTES));
        assertEquals(WARNING, counters.get(EngineCounter.DISK_FREE_WARNING_BYTES));
        assertEquals(0, counters.get(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY), "no rate from one sample");

        lastSequence.set(11_000);
        directoryBytes.set(1_100_000);
        budget.sample(START_NS + 5 * SECOND);
        assertEquals(100, counters.get(EngineCounter.JOURNAL_DISK_BYTES_PER_COMMAND));
        assertEquals(100L * 2_000 * 86_400, counters.get(EngineCounter.JOURNAL_WRITE_BYTES_PER_DAY),
            "100 B a command at 2,000 commands/s");

        firstSequence.set(10_001);
        directoryBytes.set(200_000);
        budget.sample(START_NS + 10 * SECOND);
        assertEquals(200, counters.get(EngineCounter.JOURNAL_DISK_BYTES_PER_COMMAND),
            "after archival the directory holds sequences 10,001..11,000 only");
    }

    @Test
    void warnsOncePerCrossingOfTheLevelAndAgainOnlyAfterFreeSpaceCameBackATenthAboveIt()
    {
        budget.sample(START_NS);
        assertEquals(0, counters.get(EngineCounter.DISK_FREE_WARNINGS));
        freeBytes.set(WARNING - 1);
        budget.sample(START_NS + 5 * SECOND);
        budget.sample(START_NS + 10 * SECOND);
        assertEquals(1, counters.get(EngineCounter.DISK_FREE_WARNINGS), "one warning for one crossing");
        freeBytes.set(WARNING + WARNING / 20);
        budget.sample(START_NS + 15 * SECOND);
        freeBytes.set(WARNING - 1);
        budget.sample(START_NS + 20 * SECOND);
        assertEquals(1, counters.get(EngineCounter.DISK_FREE_WARNINGS), "not armed again 5% above the level");
        freeBytes.set(WARNING + WARNING / 10);
        budget.sample(START_NS + 25 * SECOND);
        freeBytes.set(WARNING - 1);
        budget.sample(START_NS + 30 * SECOND);
        assertEquals(2, counters.get(EngineCounter.DISK_FREE_WARNINGS), "armed again 10% above the level");
    }

    @Test
    void theWarningIsOneJfrEventWithTheFreeSpaceAndBothLevels(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("warning.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable("io.stockflow.DiskSpaceWarning");
            recording.start();
            budget.sample(START_NS);
            freeBytes.set(WARNING - 5);
            budget.sample(START_NS + 5 * SECOND);
            budget.sample(START_NS + 10 * SECOND);
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
            .filter(event -> event.getEventType().getName().equals("io.stockflow.DiskSpaceWarning")).toList();
        assertEquals(1, events.size(), "one event for one crossing");
        assertEquals(WARNING - 5, events.get(0).getLong("freeBytes"));
        assertEquals(WARNING, events.get(0).getLong("warningBytes"));
        assertEquals(64L << 20, events.get(0).getLong("haltBytes"));
    }

    @Test
    void aWarningLevelOfZeroNeverWarns()
    {
        final DiskBudget silent = new DiskBudget(counters, directoryBytes::get, () -> 1, firstSequence::get,
            lastSequence::get, 0, 64L << 20);
        silent.sample(START_NS);
        assertEquals(0, counters.get(EngineCounter.DISK_FREE_WARNINGS));
        assertEquals(1, counters.get(EngineCounter.DISK_FREE_BYTES));
    }

    @Test
    void theSamplerMeasuresTheBudgetAtStartAndEveryFiveSeconds()
    {
        final CountersSampler sampler = new CountersSampler(counters, new IntervalLatency(), () -> 0, () -> 0,
            START_NS, budget);
        sampler.doWork(START_NS);
        assertEquals(100_000, counters.get(EngineCounter.JOURNAL_DISK_BYTES));
        directoryBytes.set(300_000);
        sampler.doWork(START_NS + 4 * SECOND);
        assertEquals(100_000, counters.get(EngineCounter.JOURNAL_DISK_BYTES), "not due before five seconds");
        sampler.doWork(START_NS + 5 * SECOND);
        assertEquals(300_000, counters.get(EngineCounter.JOURNAL_DISK_BYTES));
    }
}
