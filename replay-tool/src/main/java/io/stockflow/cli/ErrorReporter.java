package io.stockflow.cli;

import io.stockflow.affinity.AffinityPlanException;
import io.stockflow.cli.text.CommandFormatException;
import io.stockflow.engine.MalformedEngineDirectoryException;
import io.stockflow.engine.ParametersRecordMissingException;
import io.stockflow.journal.FileErrors;
import io.stockflow.journal.JournalArchiveRefusedException;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalDiskFullException;
import io.stockflow.journal.JournalException;
import io.stockflow.journal.JournalHistoryMissingException;
import io.stockflow.journal.JournalLockedException;
import io.stockflow.journal.JournalMetadataDamagedException;
import io.stockflow.journal.JournalNotFoundException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Maps what a command threw to one line on stderr and a sysexits status. A user
 * mistake or a fault in the data never shows a stack trace; an unexpected
 * exception (a bug) does, because then the trace is what a maintainer needs.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler
{
    @Override
    public int handleExecutionException(
        final Exception exception, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final Throwable cause = unwrap(exception);
        final int status = exitCodeFor(cause);
        if (status == ExitCodes.INTERNAL && !isMissingJvmFlag(cause))
        {
            err.println("stockflow: internal error (a bug; please report it with this trace):");
            cause.printStackTrace(err);
        }
        else
        {
            err.println("stockflow " + commandLine.getCommandName() + ": " + messageOf(cause)
                + wayForward(cause, commandLine.getCommandName()));
        }
        err.flush();
        return status;
    }

    static int exitCodeFor(final Throwable cause)
    {
        if (cause instanceof UserException)
        {
            return ((UserException)cause).exitCode();
        }
        if (cause instanceof CommandFormatException || cause instanceof JournalCorruptionException
            || cause instanceof JournalMetadataDamagedException
            || cause instanceof AffinityPlanException || cause instanceof MalformedEngineDirectoryException)
        {
            return ExitCodes.DATA_ERROR;
        }
        if (cause instanceof JournalArchiveRefusedException)
        {
            return archiveRefusal((JournalArchiveRefusedException)cause);
        }
        if (cause instanceof JournalNotFoundException || cause instanceof NoSuchFileException
            || cause instanceof JournalHistoryMissingException || cause instanceof ParametersRecordMissingException)
        {
            return ExitCodes.NO_INPUT;
        }
        if (cause instanceof JournalLockedException)
        {
            return ExitCodes.TEMP_FAIL;
        }
        if (cause instanceof JournalDiskFullException || cause instanceof JournalException
            || cause instanceof IOException || cause instanceof UncheckedIOException)
        {
            return ExitCodes.IO_ERROR;
        }
        return ExitCodes.INTERNAL;
    }

    /** An archive directory refused: a wrong argument (64), one that cannot be written (74), another journal's (65). */
    private static int archiveRefusal(final JournalArchiveRefusedException refused)
    {
        switch (refused.reason())
        {
            case NOT_WRITABLE:
                return ExitCodes.IO_ERROR;
            case FOREIGN:
                return ExitCodes.DATA_ERROR;
            default:
                return ExitCodes.USAGE;
        }
    }

    /** A corrupt journal stops every command; the message says what the operator can do next. */
    private static String wayForward(final Throwable cause, final String commandName)
    {
        if (!(cause instanceof JournalCorruptionException) || !((JournalCorruptionException)cause).readableUpToIt()
            || "salvage".equals(commandName))
        {
            return "";
        }
        return "; 'stockflow salvage --into NEWDIR' copies the records before it into a new engine directory";
    }

    /** Started without the launcher: the JVM check names the flag to add, no trace needed. */
    private static boolean isMissingJvmFlag(final Throwable cause)
    {
        return cause instanceof IllegalStateException && cause.getMessage() != null
            && cause.getMessage().contains("--add-");
    }

    static String messageOf(final Throwable cause)
    {
        if (cause instanceof CommandFormatException)
        {
            return ((CommandFormatException)cause).getMessage();
        }
        return FileErrors.describe(cause);
    }

    /**
     * @param e a plan exception, whose message is a summary followed by its reasons on further lines.
     * @return the summary alone.
     */
    static String summaryOf(final AffinityPlanException e)
    {
        final String message = e.getMessage();
        final int end = message.indexOf(':' + System.lineSeparator());
        return end < 0 ? message : message.substring(0, end);
    }

    private static Throwable unwrap(final Throwable exception)
    {
        Throwable cause = exception;
        while ((cause instanceof CommandLine.ExecutionException || cause instanceof UncheckedIOException
            && cause.getCause() instanceof NoSuchFileException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return cause;
    }
}
