package io.stockflow.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The one picocli bootstrap of Stockflow's command lines ({@code stockflow}, {@code stockflow bench},
 * {@code stockflow cluster}): the caller's streams, case-insensitive enum values, a usage error as
 * one line naming the command and where to get help (exit 64, never a stack trace), and both streams
 * flushed before the status is returned, so tests can run any command with captured output.
 */
public final class CommandLines
{
    private CommandLines()
    {
    }

    /**
     * Runs one command line.
     *
     * @param commandLine the root command, with its converters and execution exception handler set
     * @param rootName    how a user types the root command ({@code "stockflow bench"}), for messages
     * @param args        the command line
     * @param out         standard output
     * @param err         standard error
     * @return the exit status
     */
    public static int execute(final CommandLine commandLine, final String rootName, final String[] args,
        final PrintWriter out, final PrintWriter err)
    {
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((exception, arguments) ->
        {
            final CommandLine failed = exception.getCommandLine();
            final String name = failed == commandLine ? rootName : rootName + " " + failed.getCommandName();
            // Stockflow's converters (the members spec) throw a plain IllegalArgumentException whose
            // message names the value and what is allowed; the JDK's parse errors (its subclasses, such
            // as NumberFormatException) say less than picocli's own message.
            final Throwable cause = exception.getCause();
            final boolean ownConverter = cause != null && cause.getClass() == IllegalArgumentException.class;
            failed.getErr().println(name + ": " + (ownConverter ? cause.getMessage() : exception.getMessage()));
            failed.getErr().println("Try '" + name + " --help' for usage.");
            failed.getErr().flush();
            return ExitCodes.USAGE;
        });
        final int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }
}
