package io.stockflow.cli;

import io.stockflow.engine.recovery.JournalSalvage;
import io.stockflow.journal.FileErrors;
import io.stockflow.journal.internal.FileTree;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code stockflow salvage}: the way forward when an engine refuses to start
 * because a journal record before the tail is corrupt. {@link JournalSalvage}
 * copies the records before the first fault into a new engine directory; this
 * command checks the target is new, shows progress and prints what was copied
 * and where the copy stopped. The damaged directory is only read, never changed:
 * it stays as evidence, and the operator decides what to do with the records
 * after the fault.
 */
@Command(name = "salvage", mixinStandardHelpOptions = true, description = "Copy the records before a journal's first fault into a new engine directory "
    + "(same sequences, event times and state hash as the damaged journal at that point). "
    + "The damaged directory is only read.")
final class SalvageCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--into", required = true, paramLabel = "NEWDIR", description = "The new engine directory; must not exist or be empty.")
    private Path into;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        directory.existing();
        checkTarget();
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "salvaging", 0);
        final boolean createdHere = createTarget();
        final JournalSalvage.Result salvaged;
        try
        {
            salvaged = JournalSalvage.salvage(directory.directory, into, progress);
        }
        catch (final RuntimeException e)
        {
            // A copy that stopped part way is no salvage: it goes, so the next attempt finds the target new again.
            final String removed = removeTarget(createdHere);
            if (e instanceof JournalSalvage.SalvageFailedException)
            {
                throw new UserException(((JournalSalvage.SalvageFailedException)e).newEngineStopped()
                    ? ExitCodes.IO_ERROR : ExitCodes.INTERNAL, e.getMessage() + "; " + removed);
            }
            final int status = ErrorReporter.exitCodeFor(e);
            if (status == ExitCodes.INTERNAL)
            {
                // A bug: the reporter prints its trace; what became of the target is said first.
                spec.commandLine().getErr().println("stockflow salvage: " + removed);
                throw e;
            }
            throw new UserException(status, ErrorReporter.messageOf(e) + "; " + removed);
        }
        finally
        {
            progress.finish();
        }
        final long copied = salvaged.copied();
        out.printf("salvaged     %,d records (sequence 1..%d) into %s, state hash %s%n", copied, copied, into,
            StatePrinter.hash(salvaged.stateHash()));
        if (salvaged.substitutedParameters() != null)
        {
            out.printf("parameters   %s%n", salvaged.substitutedParameters());
        }
        if (salvaged.fault() == null)
        {
            out.printf("source       no fault found: %s is a full copy of %s%n", into, directory.directory);
        }
        else
        {
            out.printf("stopped at   %s%n", salvaged.fault().getMessage());
            out.printf("not copied   the record at sequence %d and everything after it; %s is unchanged%n",
                copied + 1, directory.directory);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /*
     * Creates the target unless it is there (checked empty): a directory another process made after
     * the check is then refused instead of filled, so a failed copy removes only what this one made.
     */
    private boolean createTarget()
    {
        if (Files.isDirectory(into))
        {
            return false;
        }
        try
        {
            final Path parent = into.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            Files.createDirectory(into);
            return true;
        }
        catch (final FileAlreadyExistsException e)
        {
            throw new UserException(ExitCodes.USAGE, "--into " + into
                + " was created by someone else meanwhile; give a new or empty directory");
        }
        catch (final IOException e)
        {
            throw new UserException(ExitCodes.IO_ERROR, "cannot create " + into + ": "
                + FileErrors.describe(e));
        }
    }

    /** @return what became of the target: removed when this salvage made it, else emptied. */
    private String removeTarget(final boolean createdHere)
    {
        try
        {
            if (createdHere)
            {
                FileTree.deleteRecursively(into);
                return into + " removed, nothing salvaged";
            }
            try (Stream<Path> entries = Files.list(into))
            {
                for (final Path entry : (Iterable<Path>)entries::iterator)
                {
                    FileTree.deleteRecursively(entry);
                }
            }
            return into + " emptied, nothing salvaged";
        }
        catch (final IOException | UncheckedIOException e)
        {
            return "the partial copy in " + into + " could not be removed (" + e.getMessage() + "): remove it";
        }
    }

    /** The new directory must not hold anything, above all not another engine's journal. */
    private void checkTarget()
    {
        if (into.toAbsolutePath().normalize().equals(directory.directory.toAbsolutePath().normalize()))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--into must name a new directory, not the damaged one");
        }
        if (into.toAbsolutePath().normalize().startsWith(directory.directory.toAbsolutePath().normalize()))
        {
            // Salvage promises to leave the damaged directory as it is: a new engine inside it would not.
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--into must name a new directory outside the damaged one (" + directory.directory + ")");
        }
        if (!Files.exists(into))
        {
            return;
        }
        if (!Files.isDirectory(into))
        {
            throw new UserException(ExitCodes.USAGE, "--into " + into + " is a file; give a new or empty directory");
        }
        try (Stream<Path> entries = Files.list(into))
        {
            if (entries.findAny().isPresent())
            {
                throw new UserException(ExitCodes.USAGE, "--into " + into
                    + " is not empty; give a new or empty directory (salvage never writes into an existing engine)");
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + into + ": " + e.getMessage(), e);
        }
    }
}
