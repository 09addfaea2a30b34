package io.stockflow.engine;

import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.ThreadPageFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code JOURNAL_MINOR_FAULTS} is the journal thread's own count, read on that
 * thread: it moves when the journal writes fresh pages. The same workload, over
 * fresh journal pages, runs with pretouch off and on. Asserted: without pretouch
 * the journal thread's faults are counted (above zero), and with it pages are
 * pretouched. Both fault counts are printed (the figure pretouch is judged by);
 * how they compare is not asserted, as it depends on the machine and on how far
 * ahead the pretoucher ran.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalPageFaultsTest
{
    private static final int COMMANDS = 150_000;

    @TempDir
    Path directory;

    @Test
    void journalThreadMinorFaultsAreCountedWithoutPretouchAndPagesArePretouchedWithIt()
    {
        try (ThreadPageFaults probe = ThreadPageFaults.openForCurrentThread())
        {
            assumeTrue(probe != null && probe.minorFaults() >= 0, "needs /proc/thread-self (Linux)");
        }
        final long[] off = run(directory.resolve("pretouch-off"), false);
        final long[] on = run(directory.resolve("pretouch-on"), true);
        System.out.printf("journal thread minor faults over %,d commands (%,d journal bytes): pretouch off %,d, "
            + "pretouch on %,d (%,d pages pretouched)%n", COMMANDS, off[1], off[0], on[0], on[2]);
        assertTrue(off[0] > 0, "writing fresh pages without pretouch faults on the journal thread: " + off[0]);
        assertTrue(on[2] > 0, "pages were pretouched");
    }

    /** @return minor faults, journal bytes, pretouched pages. */
    @SuppressWarnings("try") // close() inside try-with-resources on purpose: the test checks what close leaves
    private static long[] run(final Path engineDirectory, final boolean pretouch)
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(engineDirectory).pretouch(pretouch)
            .expectedState(2_048, 1 << 18).snapshotEveryEvents(0).snapshotOnClose(false).build()).build())
        {
            engine.start();
            final WorkloadGenerator generator = new WorkloadGenerator(11, 1_000);
            final GeneratedCommand command = new GeneratedCommand();
            final CommandPublisher publisher = engine.publisher();
            final BackpressureRetry retry = new BackpressureRetry(publisher, RetryBackoff.SPIN, Duration.ofMinutes(1));
            long last = 0;
            for (int i = 0; i < COMMANDS; i++)
            {
                generator.next(command);
                final long result = retry.publish(command, command.ts());
                last = result;
            }
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(60)));
            engine.close();
            return new long[] {engine.counters().get(EngineCounter.JOURNAL_MINOR_FAULTS),
                engine.counters().get(EngineCounter.JOURNAL_BYTES),
                engine.counters().get(EngineCounter.JOURNAL_PRETOUCHED_PAGES)};
        }
    }
}
