package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Progress goes to a terminal only: the tests' captured stderr is not one, so long
 * work prints no progress line there, with or without {@code --quiet}; on a
 * terminal the bar is drawn and erased, and {@code --quiet} silences it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgressDisplayTest
{
    @TempDir
    Path dir;

    @Test
    void longCommandsPrintNoProgressWhenStderrIsNotATerminalWithOrWithoutQuiet()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(2000));
        for (final boolean quiet : List.of(false, true))
        {
            final String[] flag = quiet ? new String[] {"--quiet"} : new String[0];
            final List<Cli.Result> results = List.of(
                Cli.run(engine, "run", concat(flag, "--input", input.toString())),
                Cli.run(engine, "state", flag),
                Cli.run(engine, "replay", flag),
                Cli.run(engine, "verify", flag),
                Cli.run(engine, "dump", flag),
                Cli.run(concat(new String[] {"demo", "--events", "2000", "--dir", dir.resolve("demo" + quiet)
                    .toString()}, flag)));
            for (final Cli.Result result : results)
            {
                result.ok();
                assertEquals("", result.err, result::describe);
            }
        }
    }

    @Test
    void onATerminalTheBarIsDrawnThenErasedAndQuietSilencesIt()
    {
        final StringWriter shown = new StringWriter();
        final Progress progress = new Progress(new PrintWriter(shown, true), false, "replaying", 100, true);
        progress.update(50);
        progress.finish();
        assertTrue(shown.toString().startsWith("\rreplaying [###############...............]  50% 50 "),
            shown::toString);
        assertTrue(shown.toString().endsWith("\r" + " ".repeat(78) + "\r"), shown::toString);

        final StringWriter quiet = new StringWriter();
        final Progress silenced = new Progress(new PrintWriter(quiet, true), true, "replaying", 100, true);
        silenced.update(50);
        silenced.finish();
        assertEquals("", quiet.toString());

        final StringWriter piped = new StringWriter();
        final Progress notTerminal = new Progress(new PrintWriter(piped, true), false, "replaying", 100, false);
        notTerminal.update(50);
        notTerminal.finish();
        assertEquals("", piped.toString());
        assertFalse(Terminal.stderrIsTerminal(), "the test JVM's stderr is a pipe or file");
    }

    private static String[] concat(final String[] head, final String... tail)
    {
        final String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
