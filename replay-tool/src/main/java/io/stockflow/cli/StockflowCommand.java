package io.stockflow.cli;

import io.stockflow.engine.pipeline.StageFailures;
import io.stockflow.journal.JournalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code stockflow} command line: a map of sub-command to operator, each
 * working on an engine directory and writing only to the streams picocli gives
 * it, so tests run every command through {@link #execute} with captured output.
 */
@Command(name = "stockflow", mixinStandardHelpOptions = true, versionProvider = StockflowCommand.Version.class, description = "Stockflow: an embeddable LMAX-style engine for orders, inventory and fulfillment.%n"
    + "Commands work on an engine directory (--journal DIR): its journal and its snapshots.", subcommands = {
        DemoCommand.class,
        RunCommand.class,
        StateCommand.class,
        ReplayCommand.class,
        VerifyCommand.class,
        DumpCommand.class,
        InfoCommand.class,
        SalvageCommand.class,
        ArchiveCommand.class,
        AffinityCommand.class,
        StatCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    }, footer = {
        "",
        "Exit status: 0 ok, 64 usage, 65 bad input data, 66 journal or input not found,",
        "70 internal error, 74 I/O error, 75 directory in use by another engine."
    })
public final class StockflowCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        // A stage halted by the journal (disk full, a failed write) ends its thread by throwing; the command
        // reports the halt in one line with what to do, so the thread's stack trace would only be noise. Any
        // other halt is a bug, and its trace is printed as the JVM would.
        Thread.setDefaultUncaughtExceptionHandler((thread, uncaught) ->
        {
            if (!(StageFailures.haltCauseOf(uncaught) instanceof JournalException))
            {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                uncaught.printStackTrace(System.err);
            }
        });
        final int status = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /**
     * Runs one command line with the given streams.
     *
     * @param args the command line.
     * @param out  standard output.
     * @param err  standard error.
     * @return the sysexits status.
     */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new StockflowCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        return CommandLines.execute(commandLine, "stockflow", args, out, err);
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = StockflowCommand.class.getPackage().getImplementationVersion();
            return new String[] {"stockflow " + (version == null ? "development build" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
