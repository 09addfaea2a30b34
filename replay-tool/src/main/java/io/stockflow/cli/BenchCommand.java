package io.stockflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stockflow bench}: the benchmarks live in the perf module (JMH and the
 * latency and throughput harnesses, with their baselines); the {@code ./stockflow}
 * launcher runs them from {@code perf/target/benchmarks.jar}. This entry only
 * explains that when the CLI jar is run directly.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (latency, throughput, jmh, affinity, pretouch, recovery): run through the ./stockflow launcher, "
    + "which starts them from the perf module. See BENCHMARKS.md.")
final class BenchCommand implements Callable<Integer>
{
    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to the benchmark harness.")
    private List<String> arguments;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("stockflow bench: run benchmarks through the launcher: "
            + "./stockflow bench " + (arguments == null ? "latency" : String.join(" ", arguments))
            + " (it runs perf/target/benchmarks.jar); see BENCHMARKS.md");
        return ExitCodes.USAGE;
    }
}
