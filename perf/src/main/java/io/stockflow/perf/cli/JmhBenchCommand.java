package io.stockflow.perf.cli;

import io.stockflow.perf.jmh.JmhSuite;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Callable;

/**
 * {@code bench jmh [regex] [--quick]}: the JMH suite (codec, journal append and read
 * against raw Chronicle Queue, bare pipeline hand-off, rules per command type, end to
 * end), with allocation per operation and JSON results.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true, description = "The JMH suite: codec, journal vs raw Chronicle Queue, bare pipeline, rules, end to end.")
public final class JmhBenchCommand implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "REGEX", description = "Benchmarks to run, e.g. Codec or 'Journal.*Append'. Default: all.")
    private String include;

    @Option(names = "--quick", description = "Short profile (about two minutes for the whole suite).")
    private boolean quick;

    @Option(names = "--forks", defaultValue = "1", paramLabel = "N", description = "Forks per benchmark."
        + " Default: ${DEFAULT-VALUE}.")
    private int forks;

    @Option(names = "--result", defaultValue = BenchOutput.DEFAULT_DIRECTORY
        + "/jmh-result.json", paramLabel = "FILE", description = "JSON results (-rf json). Default: ${DEFAULT-VALUE}.")
    private Path result;

    @Option(names = "--no-gc-profiler", description = "Leave out -prof gc (bytes allocated per operation).")
    private boolean noGcProfiler;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws RunnerException, IOException
    {
        if (forks < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--forks must be >= 1");
        }
        if (result.toAbsolutePath().getParent() != null)
        {
            Files.createDirectories(result.toAbsolutePath().getParent());
        }
        final Options options = JmhSuite.options(include == null ? null : ".*" + include + ".*", quick, forks, result,
            !noGcProfiler);
        final Collection<RunResult> results = new Runner(options).run();
        if (results.isEmpty())
        {
            spec.commandLine().getErr().println("stockflow bench jmh: no benchmark matches " + include);
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().println("wrote " + result);
        return ExitCodes.OK;
    }
}
