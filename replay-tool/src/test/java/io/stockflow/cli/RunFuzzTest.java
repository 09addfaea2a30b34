package io.stockflow.cli;

import io.stockflow.cli.text.CommandFormatException;
import io.stockflow.cli.text.JsonLinesCommandReader;
import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.cli.text.TextFormat;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing through {@code stockflow run} itself, not only its parser: valid
 * commands with damaged lines among them, random bytes and cut lines. Whatever the
 * input, run exits 0 or 65; on 65 it names the line in one message and no trace; the
 * journal then holds exactly the commands before that line (none, and no directory,
 * when it is the first), each as the parser read it; and a later run on the same
 * directory goes on from there.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RunFuzzTest
{
    private static final long SEED = 0xF022L;
    private static final int TRIALS = 40;
    private static final String STRUCTURAL = "{}[],:\"\\-.0e \n\r";

    @TempDir
    Path dir;

    @Test
    void damagedInputStopsAtItsLineWithTheCommandsBeforeItJournaledAndNothingElse() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        int stoppedAtALine = 0;
        int wholeInputs = 0;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final byte[] input = fuzzedInput(random);
            final Path file = dir.resolve("input-" + trial + ".jsonl");
            Files.write(file, input);
            final Path engine = dir.resolve("engine-" + trial);
            final Expected expected = parse(input);
            final String context = "trial " + trial + ", input:\n" + new String(input, StandardCharsets.UTF_8);

            final Cli.Result run = Cli.run(engine, "run", "--input", file.toString(), "--quiet");

            if (expected.errorLine == 0)
            {
                assertEquals(ExitCodes.OK, run.status, () -> context + "\n" + run.describe());
                wholeInputs++;
            }
            else
            {
                Cli.assertOneClearErrorLine(run, ExitCodes.DATA_ERROR, "line " + expected.errorLine + ":");
                stoppedAtALine++;
            }
            if (expected.dump.isEmpty())
            {
                assertFalse(Files.exists(engine), () -> "nothing journaled, nothing created: " + context);
                continue;
            }
            final List<String> dumped = Journals.commandLines(Cli.run(engine, "dump", "--quiet").ok().out.lines()
                .collect(Collectors.toList()));
            assertEquals(expected.dump, withoutTs(dumped),
                () -> "the journal holds the commands before the bad line: " + context);
            final Cli.Result more = Cli.run(engine, "run", "--input",
                Cli.write(dir.resolve("more-" + trial + ".jsonl"), Journals.restock(99_999) + "\n").toString(),
                "--quiet").ok();
            assertTrue(more.out.contains("(sequence " + (dumped.size() + 1) + ".."), more::describe);
        }
        assertTrue(stoppedAtALine > TRIALS / 4 && wholeInputs > 0,
            "the fuzzing reached both outcomes: " + stoppedAtALine + " stopped, " + wholeInputs + " whole");
    }

    /** Valid RESTOCKs, one in three inputs with a damaged line, random bytes or a cut line among them. */
    private static byte[] fuzzedInput(final SplittableRandom random)
    {
        final StringBuilder text = new StringBuilder();
        final int lines = 1 + random.nextInt(12);
        final int damaged = random.nextInt(3) == 0 ? -1 : random.nextInt(lines);
        for (int i = 0; i < lines; i++)
        {
            String line = Journals.restock(i + 1);
            if (i == damaged)
            {
                final char[] chars = line.toCharArray();
                switch (random.nextInt(4))
                {
                    case 0:
                        chars[random.nextInt(chars.length)] = STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length()));
                        line = new String(chars);
                        break;
                    case 1:
                        line = line.substring(0, random.nextInt(line.length()));
                        break;
                    case 2:
                        final byte[] bytes = new byte[1 + random.nextInt(40)];
                        random.nextBytes(bytes);
                        line = new String(bytes, StandardCharsets.ISO_8859_1);
                        break;
                    default:
                        line = line.replace("\"qty\":", "\"qty\":1e" + random.nextInt(30) + "+");
                        break;
                }
            }
            text.append(line).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What run must do with this input, by the parser alone: the commands it must journal, in the dump form
     * without their {@code ts} (a damaged ts may be clamped or missing, and then the engine clock stamps it),
     * and the line it stops at.
     */
    private static Expected parse(final byte[] input) throws IOException
    {
        final Expected expected = new Expected();
        final byte[] encoded = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        try (JsonLinesCommandReader reader = new JsonLinesCommandReader(new ByteArrayInputStream(input)))
        {
            final ParsedCommand command = new ParsedCommand();
            while (reader.next(command))
            {
                view.wrap(encoded, 0, CommandCodec.encode(command, encoded, 0));
                expected.dump.add(withoutTs(TextFormat.appendCommand(new StringBuilder(), 0, view).toString()));
            }
        }
        catch (final CommandFormatException e)
        {
            expected.errorLine = e.lineNumber();
        }
        return expected;
    }

    private static List<String> withoutTs(final List<String> dumpLines)
    {
        return dumpLines.stream().map(RunFuzzTest::withoutTs).collect(Collectors.toList());
    }

    private static String withoutTs(final String dumpLine)
    {
        return dumpLine.substring(dumpLine.indexOf("\"type\""));
    }

    private static final class Expected
    {
        final List<String> dump = new ArrayList<>();
        long errorLine;
    }
}
