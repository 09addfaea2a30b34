package io.stockflow.engine;

import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the engine writes a journal's parameters record at start: once, as the first record of a
 * journal that holds none, whether the directory is new or its journal was created and left
 * empty; never again on a restart of a journal that holds records (which the start decides with a
 * read-only look, without opening the journal as a writer twice).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParametersRecordAtStartTest
{
    private static final long RETENTION_MS = 600_000;
    private static final long ORDER_CAPACITY = 10_000;
    private static final long SKU_CAPACITY = 1_000;

    @TempDir
    Path directory;

    @Test
    void restartsAddNoSecondParametersRecordAndTheSequencesRunOn()
    {
        final long first = runCommands(100);
        final long second = runCommands(50);
        final long third = runCommands(1);

        assertEquals(100, first);
        assertEquals(150, second);
        assertEquals(151, third);
        final JournalSummary journal = JournalSummary.of(directory);
        assertEquals(1, journal.parametersRecords, "parameters records in the journal");
        assertTrue(journal.parametersRecordFirst, "the parameters record is the journal's first record");
        assertEquals(151, journal.commands);
        assertEquals(151, journal.lastSequence);
    }

    @Test
    void aJournalCreatedButLeftEmptyGetsItsParametersRecordAtTheNextStart()
    {
        final EngineConfig config = config().build();
        EngineDirectoryRecord.writeIfNew(config);
        try (Journal empty = Journal.open(
            JournalConfig.builder(config.journalDirectory()).rollCycle(config.rollCycle()).pretouch(false).build()))
        {
            assertEquals(0, empty.lastSequence());
        }

        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            assertEquals(RETENTION_MS, (long)engine.query(state -> state.retentionMs()).join());
            assertEquals(ORDER_CAPACITY, (long)engine.query(state -> state.orderCapacity()).join());
        }
        final JournalSummary journal = JournalSummary.of(directory);
        assertEquals(1, journal.parametersRecords);
        assertTrue(journal.parametersRecordFirst);
        assertEquals(0, journal.commands);
    }

    /** Starts the engine on the directory, publishes {@code count} commands and closes it; returns the last sequence. */
    private long runCommands(final int count)
    {
        try (StockflowEngine engine = StockflowEngine.builder(config().build()).build())
        {
            engine.start();
            final long last = EngineTestSupport.publishWorkload(engine, new WorkloadGenerator(7, 50), count);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            return last;
        }
    }

    private EngineConfig.Builder config()
    {
        return quietConfig(directory).ruleParameters(RETENTION_MS, ORDER_CAPACITY, SKU_CAPACITY);
    }

    private static final class JournalSummary
    {
        int parametersRecords;
        boolean parametersRecordFirst;
        long commands;
        long lastSequence;

        static JournalSummary of(final Path engineDirectory)
        {
            final JournalSummary summary = new JournalSummary();
            final JournalRecord record = new JournalRecord();
            boolean first = true;
            try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
            {
                while (reader.readNext(record))
                {
                    if (ParametersRecord.is(record))
                    {
                        summary.parametersRecords++;
                        summary.parametersRecordFirst |= first;
                    }
                    else
                    {
                        summary.commands++;
                        summary.lastSequence = record.sequence();
                    }
                    first = false;
                }
            }
            return summary;
        }
    }
}
