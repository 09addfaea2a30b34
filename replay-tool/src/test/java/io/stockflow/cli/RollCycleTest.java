package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.journal.JournalRollCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The roll cycle is chosen when a directory is created and belongs to it: later runs without a
 * choice open it with the recorded one, a different choice is refused naming both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RollCycleTest
{
    @TempDir
    Path dir;

    @Test
    void runCreatesTheDirectoryWithTheChosenRollCycleAndLaterRunsOpenItWithoutNamingIt()
    {
        final Path engine = dir.resolve("engine");
        final Path first = Cli.write(dir.resolve("first.jsonl"), Journals.restocks(3));
        Cli.run(engine, "run", "--input", first.toString(), "--roll-cycle", "TEST_SECONDLY", "--quiet").ok();
        assertTrue(Cli.run(engine, "info").ok().out.contains("roll cycle TEST_SECONDLY"));

        final Path second = Cli.write(dir.resolve("second.jsonl"), Journals.restock(4) + "\n");
        Cli.run(engine, "run", "--input", second.toString(), "--quiet").ok();
        Cli.run(engine, "run", "--input", second.toString(), "--roll-cycle", "TEST_SECONDLY", "--quiet").ok();
        final Cli.Result info = Cli.run(engine, "info").ok();
        assertTrue(info.out.contains("roll cycle TEST_SECONDLY"), info::describe);
        assertTrue(info.out.contains("(sequence 1..5)"), info::describe);
        assertEquals(Cli.run(engine, "state", "--full").ok().stateHash(), Cli.run(engine, "state").ok().stateHash());
    }

    @Test
    void aRollCycleOtherThanTheRecordedOneExits64NamingBothAndWritesNothing()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("input.jsonl"), Journals.restocks(3));
        Cli.run(engine, "run", "--input", input.toString(), "--roll-cycle", "TEST_SECONDLY", "--quiet").ok();
        final String dumpBefore = Cli.run(engine, "dump").ok().out;

        final Cli.Result refused = Cli.run(engine, "run", "--input", input.toString(), "--roll-cycle", "HOURLY");
        Cli.assertOneClearErrorLine(refused, ExitCodes.USAGE, "HOURLY", "TEST_SECONDLY");
        assertEquals(dumpBefore, Cli.run(engine, "dump").ok().out);
    }

    @Test
    void anUnknownRollCycleExits64ListingTheAllowedOnesAndCreatesNothing()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("input.jsonl"), Journals.restocks(1));
        final Cli.Result refused = Cli.run(engine, "run", "--input", input.toString(), "--roll-cycle", "WEEKLY");
        Cli.assertOneClearErrorLine(refused, ExitCodes.USAGE, "WEEKLY", "TEST_SECONDLY, MINUTELY, HOURLY, DAILY");
        assertFalse(Files.exists(engine));
    }

    @Test
    void theEmbeddedEngineOpensAnExistingDirectoryWithItsRecordedRollCycleUnlessOneIsSetExplicitly()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("input.jsonl"), Journals.restocks(2));
        Cli.run(engine, "run", "--input", input.toString(), "--roll-cycle", "MINUTELY", "--quiet").ok();

        try (StockflowEngine opened = StockflowEngine.builder(EngineConfig.builder(engine).build()).build())
        {
            opened.start();
            assertEquals(2, opened.query(state -> state.lastSequence()).join());
        }
        final EngineConfig explicit = EngineConfig.builder(engine).rollCycle(JournalRollCycle.HOURLY).build();
        final RuntimeException refused = assertThrows(RuntimeException.class, () ->
        {
            try (StockflowEngine opened = StockflowEngine.builder(explicit).build())
            {
                opened.start();
            }
        });
        assertTrue(String.valueOf(messages(refused)).contains("rollCycle=MINUTELY"), () -> messages(refused));
        assertTrue(Cli.read(engine.resolve("engine.properties")).contains("rollCycle=MINUTELY"));
    }

    private static String messages(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            text.append(t.getMessage()).append(" / ");
        }
        return text.toString();
    }
}
