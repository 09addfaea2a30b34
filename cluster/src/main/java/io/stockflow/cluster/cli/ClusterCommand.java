package io.stockflow.cluster.cli;

import io.stockflow.cli.CommandLines;
import io.stockflow.cli.ExitCodes;
import io.stockflow.cli.UserException;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeStartException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code stockflow cluster ...}: the clustered mode's command line (the launcher hands every
 * {@code cluster} command line to this jar). Errors an operator can fix print one sentence and exit
 * with the status used elsewhere: 64 usage (a malformed members spec included), 65 bad data, 66 not a
 * node directory, 70 internal, 74 I/O, 75 a port or directory in use, or no quorum.
 */
@Command(name = "stockflow cluster", mixinStandardHelpOptions = true, description = "Stockflow replicated on Aeron Cluster.%n"
    + "Members spec: COUNT@HOST:BASEPORT (e.g. 3@127.0.0.1:21000); member N uses BASEPORT+10N .. +4.", subcommands = {
        NodeCommand.class,
        RunCommand.class,
        StatusCommand.class,
        SnapshotCommand.class,
        ExportCommand.class,
        DemoCommand.class,
        CommandLine.HelpCommand.class
    }, footer = {
        "",
        "Exit status: 0 ok, 64 usage, 65 bad input data, 66 not a node directory or input not found,",
        "70 internal error, 74 I/O error, 75 port or directory in use, or no quorum."
    })
public final class ClusterCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args the command line after {@code cluster}.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * @param args the command line after {@code cluster}.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit status.
     */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new ClusterCommand());
        commandLine.registerConverter(MembersSpec.class, MembersSpec::parse);
        commandLine.setExecutionExceptionHandler((exception, failed, parsed) ->
        {
            final String name = "stockflow cluster " + failed.getCommandName();
            if (exception instanceof NodeStartException start)
            {
                failed.getErr().println(name + ": " + start.getMessage());
                return start.exitCode();
            }
            if (exception instanceof UserException user)
            {
                failed.getErr().println(name + ": " + user.getMessage());
                return user.exitCode();
            }
            failed.getErr().println(name + ": internal error: " + exception);
            exception.printStackTrace(failed.getErr());
            return ExitCodes.INTERNAL;
        });
        return CommandLines.execute(commandLine, "stockflow cluster", args, out, err);
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a cluster command is required");
    }

    /** @return a state hash as the single-node commands print it. */
    static String hash(final long stateHash)
    {
        return String.format("%016x", stateHash);
    }
}
