package io.stockflow.perf.jmh;

import io.stockflow.journal.JvmFlags;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JMH options {@code bench jmh} runs the suite with, sized for a 2-core machine: one
 * fork per benchmark with a fixed heap ({@code -Xms} = {@code -Xmx}) and the JVM flags
 * Chronicle needs, the GC profiler (bytes allocated per operation), JSON results, and
 * fail-on-error so a benchmark whose self-check fails stops the run. The full profile
 * (3 x 1 s warm-up, 5 x 1 s measured) takes about five minutes; {@code --quick}
 * (1 x 0.5 s, 2 x 0.5 s) about two.
 */
public final class JmhSuite
{
    /** Every benchmark of the suite. */
    public static final String ALL = "io\\.stockflow\\.perf\\.jmh\\..*";
    /** The fixed heap of each fork. */
    public static final String HEAP = "1g";

    private JmhSuite()
    {
    }

    /**
     * @param include    regular expression of benchmarks to run (JMH matches it against
     *                   {@code class.method}); null for all.
     * @param quick      the short profile.
     * @param forks      forks per benchmark.
     * @param resultFile where to write the JSON results.
     * @param gcProfiler whether to add {@code -prof gc}.
     * @return the options.
     */
    public static Options options(
        final String include, final boolean quick, final int forks, final Path resultFile, final boolean gcProfiler)
    {
        final List<String> jvmArgs = new ArrayList<>(JvmFlags.forCurrentJvm());
        jvmArgs.add("-Xms" + HEAP);
        jvmArgs.add("-Xmx" + HEAP);
        jvmArgs.add("-XX:+AlwaysPreTouch");
        final ChainedOptionsBuilder builder = new OptionsBuilder()
            .include(include == null ? ALL : include)
            .forks(forks)
            .threads(1)
            .jvmArgsAppend(jvmArgs.toArray(new String[0]))
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .timeout(TimeValue.minutes(2))
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(resultFile.toString());
        if (gcProfiler)
        {
            builder.addProfiler(GCProfiler.class);
        }
        return builder.build();
    }
}
