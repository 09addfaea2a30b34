package io.stockflow.perf.cli;

import io.stockflow.perf.harness.BenchCheckException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns a failed run into a message and an exit status: a self-check failure names what
 * did not match (and no figure was printed), an I/O failure names the file, anything else
 * is reported with its stack trace as a bug.
 */
public final class BenchFailureHandler implements CommandLine.IExecutionExceptionHandler
{
    @Override
    public int handleExecutionException(
        final Exception exception, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final String name = commandLine.getCommandSpec().qualifiedName();
        if (exception instanceof BenchCheckException)
        {
            commandLine.getErr().println(name + ": self-check failed, no figures reported: "
                + exception.getMessage());
            return ExitCodes.INTERNAL;
        }
        if (exception instanceof IOException || exception instanceof UncheckedIOException)
        {
            commandLine.getErr().println(name + ": I/O error: " + exception.getMessage());
            return ExitCodes.IO_ERROR;
        }
        if (exception instanceof IllegalArgumentException)
        {
            commandLine.getErr().println(name + ": " + exception.getMessage());
            return ExitCodes.USAGE;
        }
        commandLine.getErr().println(name + ": internal error: " + exception);
        exception.printStackTrace(commandLine.getErr());
        return ExitCodes.INTERNAL;
    }
}
