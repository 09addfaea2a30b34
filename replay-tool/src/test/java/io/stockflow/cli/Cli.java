package io.stockflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Runs the command line in-process with captured standard output and error, as the tests' one entry point. */
final class Cli
{
    private static final Pattern STATE_HASH = Pattern.compile("\"stateHash\":\"([0-9a-f]{16})\"");

    private Cli()
    {
    }

    /** What one command line did. */
    static final class Result
    {
        final int status;
        final String out;
        final String err;
        final String commandLine;

        Result(final int status, final String out, final String err, final String commandLine)
        {
            this.status = status;
            this.out = out;
            this.err = err;
            this.commandLine = commandLine;
        }

        /** @return a description for assertion messages. */
        String describe()
        {
            return "stockflow " + commandLine + " -> " + status + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }

        /** @return stderr's non-empty lines. */
        List<String> errLines()
        {
            return err.lines().filter(line -> !line.isBlank()).collect(java.util.stream.Collectors.toList());
        }

        /** @return this, after checking the exit status is 0. */
        Result ok()
        {
            assertEquals(ExitCodes.OK, status, this::describe);
            return this;
        }

        /** @return the state hash in this JSON output. */
        String stateHash()
        {
            final Matcher matcher = STATE_HASH.matcher(out);
            assertEquals(true, matcher.find(), this::describe);
            return matcher.group(1);
        }
    }

    static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = StockflowCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString(), String.join(" ", args));
    }

    static Result run(final Path journal, final String command, final String... more)
    {
        final String[] args = new String[more.length + 3];
        args[0] = command;
        args[1] = "--journal";
        args[2] = journal.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return run(args);
    }

    /** Checks a failure is reported as one clear line (plus at most a usage hint), without a stack trace. */
    static void assertOneClearErrorLine(final Result result, final int expectedStatus, final String... fragments)
    {
        assertEquals(expectedStatus, result.status, result::describe);
        final List<String> lines = result.errLines();
        assertFalse(lines.isEmpty(), result::describe);
        assertEquals(true, lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("Try 'stockflow"),
            () -> "one error line expected: " + result.describe());
        assertEquals(true, lines.get(0).startsWith("stockflow"), result::describe);
        assertFalse(result.err.contains("\tat ") || result.err.contains("Exception"),
            () -> "no stack trace or exception name expected: " + result.describe());
        for (final String fragment : fragments)
        {
            assertEquals(true, lines.get(0).contains(fragment),
                () -> "'" + fragment + "' expected in the error line: " + result.describe());
        }
    }

    static Path write(final Path file, final String text)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the text of a test resource next to this class. */
    static String resource(final String name)
    {
        try (java.io.InputStream in = Cli.class.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
