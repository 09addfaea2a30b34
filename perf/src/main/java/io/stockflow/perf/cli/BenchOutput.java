package io.stockflow.perf.cli;

/**
 * Where a benchmark writes its files (histograms, plots, JMH results) unless told
 * otherwise with {@code --out} or {@code --result}: the directory named by the system
 * property {@code stockflow.bench.out}, which the {@code ./stockflow} launcher sets to
 * the repository's {@code target/bench-results}, else {@code target/bench-results}
 * under the current directory. Either way the files land under a build output
 * directory that {@code .gitignore} covers, never loose in the working tree.
 */
final class BenchOutput
{
    /** The default output directory, as a picocli default value (resolved when the command line is parsed). */
    static final String DEFAULT_DIRECTORY = "${sys:stockflow.bench.out:-target/bench-results}";

    private BenchOutput()
    {
    }
}
