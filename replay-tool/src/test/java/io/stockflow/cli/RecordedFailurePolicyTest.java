package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandType;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure policy belongs with the directory: a journal written under
 * RECORD_AND_CONTINUE that recorded a logic error is replayed by {@code state},
 * {@code replay}, {@code verify} and {@code run} as the engine ran it, going on past the
 * error; a directory without the record (created before it was kept) replays under HALT.
 */
class RecordedFailurePolicyTest
{
    /** Sequence of the record on which the rules throw: its event time runs backwards. */
    private static final long BAD_SEQUENCE = 4;

    @TempDir
    Path dir;

    @Test
    void aNewDirectoryRecordsItsPolicyAndAnOlderOneReadsAsHalt() throws IOException
    {
        final Path engine = dir.resolve("engine");
        start(engine, LogicFailurePolicy.RECORD_AND_CONTINUE, 0, 1_000);

        assertEquals(LogicFailurePolicy.RECORD_AND_CONTINUE, EngineDirectoryRecord.logicFailurePolicy(engine));
        start(engine, LogicFailurePolicy.HALT, 0, 1_000);
        assertEquals(LogicFailurePolicy.RECORD_AND_CONTINUE, EngineDirectoryRecord.logicFailurePolicy(engine),
            "recorded at creation, not rewritten by a later run");
        Files.delete(engine.resolve(EngineDirectoryRecord.FILE_NAME));
        assertEquals(LogicFailurePolicy.HALT, EngineDirectoryRecord.logicFailurePolicy(engine));
    }

    @Test
    void stateReplayVerifyAndRunGoOnWhereTheEngineWentOn() throws IOException
    {
        final Path engine = journalWithALogicError();
        final long engineHash = start(engine, LogicFailurePolicy.RECORD_AND_CONTINUE, 2, 2_000);

        final Cli.Result state = Cli.run(engine, "state", "--full").ok();
        assertEquals(StatePrinter.hash(engineHash), state.stateHash());
        assertEquals(state.stateHash(), Cli.run(engine, "state").ok().stateHash());
        final Cli.Result replay = Cli.run(engine, "replay", "--full").ok();
        assertTrue(replay.out.contains("logic errors 1"), replay::describe);
        Cli.run(engine, "verify").ok();
        final Cli.Result run = Cli.run(engine, "run", "--input", Cli.write(dir.resolve("more.jsonl"),
            "{\"ts\":5000,\"type\":\"RESTOCK\",\"sku\":9,\"qty\":1}\n").toString()).ok();
        assertTrue(run.out.contains("commands     1 (sequence 7..7)"), run::describe);
    }

    @Test
    void aDirectoryWithoutTheRecordReplaysUnderHaltAsBefore() throws IOException
    {
        final Path engine = journalWithALogicError();
        Files.delete(engine.resolve(EngineDirectoryRecord.FILE_NAME));

        for (final String command : new String[] {"state", "replay", "verify"})
        {
            final Cli.Result result = Cli.run(engine, command, "--full");
            assertNotEquals(ExitCodes.OK, result.status, result::describe);
        }
    }

    @Test
    void anEmptiedRecordIsBadDataNamingTheFileNeverAStackTrace() throws IOException
    {
        // What a power cut left before the record was forced at creation: the name, no content.
        final Path engine = journalWithALogicError();
        Files.write(engine.resolve(EngineDirectoryRecord.FILE_NAME), new byte[0]);

        for (final String command : new String[] {"state", "replay", "verify"})
        {
            Cli.assertOneClearErrorLine(Cli.run(engine, command), ExitCodes.DATA_ERROR,
                EngineDirectoryRecord.FILE_NAME, "logicFailurePolicy=");
        }
    }

    /**
     * @return an engine directory created under RECORD_AND_CONTINUE whose journal holds three
     *         restocks, then one whose event time is before theirs (the rules throw on it).
     */
    private Path journalWithALogicError() throws IOException
    {
        final Path engine = dir.resolve("engine");
        start(engine, LogicFailurePolicy.RECORD_AND_CONTINUE, 3, 1_000);
        final JournalRecord first = new JournalRecord();
        final Path journal = EngineConfig.journalDirectoryOf(engine);
        try (JournalReader reader = Journal.openReader(journal))
        {
            assertTrue(reader.seekToSequence(1) && reader.readNext(first));
        }
        try (Journal writer = Journal.open(JournalConfig.builder(journal)
            .rollCycle(EngineConfig.builder(engine).build().rollCycle()).build()))
        {
            final JournalAppender appender = writer.appender();
            assertEquals(BAD_SEQUENCE, appender.append(1, CommandType.RESTOCK.code(), first.version(),
                first.payload(), 0, first.payloadLength()));
            appender.commit();
        }
        return engine;
    }

    /**
     * Runs the engine on the directory once, publishing {@code restocks} restocks at
     * increasing event times from {@code firstTs}.
     *
     * @return the state hash it ended with.
     */
    private static long start(
        final Path engine, final LogicFailurePolicy policy, final int restocks, final long firstTs)
    {
        final EngineConfig config = EngineConfig.builder(engine).logicFailurePolicy(policy).snapshotEveryEvents(0)
            .snapshotOnClose(false).build();
        try (StockflowEngine running = StockflowEngine.builder(config).build())
        {
            running.start();
            long last = running.releasedSequence();
            for (int i = 0; i < restocks; i++)
            {
                last = running.publisher().restock(firstTs + i, 1 + i, 10);
                assertTrue(last > 0, "published");
            }
            assertTrue(running.awaitReleased(last, Duration.ofSeconds(30)));
            return running.query(state -> state.stateHash()).join();
        }
    }
}
