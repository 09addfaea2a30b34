package io.stockflow.perf;

import io.stockflow.cli.CommandLines;
import io.stockflow.perf.cli.AffinityBenchCommand;
import io.stockflow.perf.cli.BenchFailureHandler;
import io.stockflow.perf.cli.ClusterBenchCommand;
import io.stockflow.perf.cli.JlbhBenchCommand;
import io.stockflow.perf.cli.JmhBenchCommand;
import io.stockflow.perf.cli.LatencyBenchCommand;
import io.stockflow.perf.cli.LongRunBenchCommand;
import io.stockflow.perf.cli.PretouchBenchCommand;
import io.stockflow.perf.cli.RecoveryBenchCommand;
import io.stockflow.perf.cli.ThroughputBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code ./stockflow bench <latency|throughput|jmh|affinity|pretouch|recovery|longrun|cluster|jlbh> [options]}: the
 * entry point of {@code perf/target/benchmarks.jar}. Each sub-command is one harness; each
 * checks its own result before printing a figure. Exit status 0 ok, 64 usage, 70 a
 * self-check failed or an unexpected error, 74 an I/O error.
 */
@Command(name = "stockflow bench", mixinStandardHelpOptions = true, version = "stockflow bench 0.1.0", description = "Stockflow benchmarks: the engine beside a bare Disruptor pipeline and raw Chronicle Queue,"
    + " measured in the same run. See BENCHMARKS.md.", subcommands = {
        LatencyBenchCommand.class,
        ThroughputBenchCommand.class,
        JmhBenchCommand.class,
        AffinityBenchCommand.class,
        PretouchBenchCommand.class,
        RecoveryBenchCommand.class,
        ClusterBenchCommand.class,
        LongRunBenchCommand.class,
        JlbhBenchCommand.class,
        CommandLine.HelpCommand.class
    }, footer = {"", "Exit status: 0 ok, 64 usage, 70 self-check failed or internal error, 74 I/O error."})
public final class BenchMain implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs one command line with the given streams.
     *
     * @param args the command line.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit status.
     */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setExecutionExceptionHandler(new BenchFailureHandler());
        return CommandLines.execute(commandLine, "stockflow bench", args, out, err);
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "name a benchmark: latency, throughput, jmh, affinity, pretouch, recovery, longrun, cluster or jlbh");
    }
}
