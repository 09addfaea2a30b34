package io.stockflow.perf.cli;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.BenchPlans;
import io.stockflow.perf.harness.EngineLatencyRun;
import io.stockflow.perf.harness.LatencyPhase;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.JsonWriter;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.PercentilePlot;
import io.stockflow.perf.report.PercentileTable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench affinity}: the engine's latency at one fixed rate under the machine's
 * default plan and the alternatives (all blocking, all sleeping, the journal pinned and
 * busy-spinning), in one run, plans interleaved over {@code --runs} rounds so drift in a
 * shared machine's load hits every plan alike. This is the measurement the default plan
 * is chosen by.
 */
@Command(name = "affinity", mixinStandardHelpOptions = true, description = "Engine latency at a fixed rate under the default plan and alternative plans, same run.")
public final class AffinityBenchCommand implements Callable<Integer>
{
    @Option(names = "--rate", defaultValue = "10000", paramLabel = "N", description = "Offered rate, commands per second. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "Measured seconds per plan and round. Default: ${DEFAULT-VALUE}.")
    private long seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", paramLabel = "S", description = "Warm-up seconds per plan and round. Default: ${DEFAULT-VALUE}.")
    private long warmupSeconds;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "K", description = "Rounds over all plans; medians reported. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write {\"rate\":R,\"seconds\":S,\"plans\":{NAME:P,...},\"env\":{...}} (medians).")
    private Path json;

    @Option(names = "--out", defaultValue = BenchOutput.DEFAULT_DIRECTORY, paramLabel = "DIR", description = "Directory for the SVG plot. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Mixin
    private EngineOptions engineOptions;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (rate < 1 || seconds < 1 || warmupSeconds < 0 || runs < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "need --rate >= 1, --seconds >= 1, --warmup-seconds >= 0, --runs >= 1");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final Map<String, AffinityPlan> plans = BenchPlans.compared();
        final Map<String, List<LatencySummary>> summaries = new LinkedHashMap<>();
        final Map<String, Histogram> lastHistograms = new LinkedHashMap<>();
        final Map<String, String> waits = new LinkedHashMap<>();
        final LatencyPhase phase = new LatencyPhase(rate, warmupSeconds, seconds);
        stdout.printf(Locale.ROOT, "affinity: %,d commands/s, %d s measured per plan, %d round(s)%n", rate, seconds,
            runs);
        for (int round = 1; round <= runs; round++)
        {
            for (final Map.Entry<String, AffinityPlan> plan : plans.entrySet())
            {
                final BenchEngine.Settings settings = engineOptions.settings(JournalRollCycle.TEST_SECONDLY)
                    .plan(plan.getValue());
                final EngineLatencyRun.Result result;
                try (TempDirectory directory = TempDirectory.create(engineOptions.scratch(), "stockflow-bench-plan"))
                {
                    result = EngineLatencyRun.run(phase, settings, directory.path());
                }
                final LatencySummary summary = LatencySummary.of(result.engine());
                summaries.computeIfAbsent(plan.getKey(), name -> new ArrayList<>()).add(summary);
                lastHistograms.put(plan.getKey(), result.engine());
                waits.put(plan.getKey(), Environment.oneLine(result.plan()));
                stdout.printf(Locale.ROOT, "round %d %-15s p50 %s  p99 %s  p99.9 %s  max %s µs (state hash checked)%n",
                    round, plan.getKey(), PercentileTable.micros(summary.p50Micros()),
                    PercentileTable.micros(summary.p99Micros()), PercentileTable.micros(summary.p999Micros()),
                    PercentileTable.micros(summary.maxMicros()));
                stdout.flush();
            }
        }
        final PercentileTable table = new PercentileTable();
        final Map<String, LatencySummary> medians = new LinkedHashMap<>();
        for (final Map.Entry<String, List<LatencySummary>> entry : summaries.entrySet())
        {
            final LatencySummary median = LatencySummary.medianOf(entry.getValue());
            medians.put(entry.getKey(), median);
            table.add(entry.getKey(), median);
        }
        stdout.printf(Locale.ROOT, "%nmedian of %d round(s), planned time to outcome released:%n", runs);
        stdout.print(table.render());
        stdout.println();
        for (final Map.Entry<String, String> entry : waits.entrySet())
        {
            stdout.printf(Locale.ROOT, "  %-15s %s%n", entry.getKey(), entry.getValue());
        }
        final LatencySummary baseline = medians.get(BenchPlans.DEFAULT);
        for (final Map.Entry<String, LatencySummary> entry : medians.entrySet())
        {
            stdout.printf(Locale.ROOT, "  %-15s p99 / default p99 = %.2f, p99.9 / default p99.9 = %.2f%n",
                entry.getKey(), entry.getValue().p99Micros() / baseline.p99Micros(),
                entry.getValue().p999Micros() / baseline.p999Micros());
        }
        Files.createDirectories(out);
        final PercentilePlot plot = new PercentilePlot(String.format(Locale.ROOT,
            "Stockflow engine latency by affinity plan at %,d commands/s (last round)", rate));
        lastHistograms.forEach(plot::add);
        plot.writeTo(out.resolve("affinity.svg"));
        stdout.println("wrote " + out.resolve("affinity.svg"));
        if (json != null)
        {
            final JsonWriter writer = new JsonWriter().beginObject()
                .field("rate", rate)
                .field("seconds", seconds)
                .name("plans").beginObject();
            for (final Map.Entry<String, LatencySummary> entry : medians.entrySet())
            {
                entry.getValue().writeTo(writer.name(entry.getKey()));
            }
            writer.endObject().name("env").tree(Environment.capture().put("runs", runs).put("plans", waits).values());
            Files.writeString(json, writer.endObject() + "\n", StandardCharsets.UTF_8);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }
}
