package io.stockflow.perf.cli;

import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.harness.BenchEngine;
import io.stockflow.perf.harness.ClusterBench;
import io.stockflow.perf.harness.EngineLatencyRun;
import io.stockflow.perf.harness.LatencyPhase;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.harness.ThroughputHarness;
import io.stockflow.perf.harness.ThroughputRun;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.JsonWriter;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.PercentileTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench cluster}: three cluster members on loopback beside the single-node engine, same run,
 * same command mix (issue 21 "Benchmarks"): throughput with batching, latency at a constant rate from
 * planned send time to result (no coordinated omission), and the failover time as a distribution over
 * {@code --failovers} leader kills. The engine's figures come from the harnesses of {@code bench
 * throughput} and {@code bench latency}, run after the cluster is stopped, so the two never share the
 * CPUs. The defaults take a few minutes on 2 CPUs.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Three Aeron Cluster members on loopback beside the single-node engine: throughput, latency at a constant rate, failover time.")
public final class ClusterBenchCommand implements Callable<Integer>
{
    private static final String CLUSTER = "cluster (planned -> result at client)";
    private static final String ENGINE = "engine (planned -> released)";

    @Option(names = "--throughput-commands", defaultValue = "200000", paramLabel = "N", description = "Commands timed in the throughput phases (a quarter more before, untimed). Default: ${DEFAULT-VALUE}.")
    private long throughputCommands;

    @Option(names = "--rate", defaultValue = "5000", paramLabel = "N", description = "Offered rate of the latency phases, commands per second. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "Measured seconds of the latency phases. Default: ${DEFAULT-VALUE}.")
    private long seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S", description = "Seconds sent before recording, per latency phase. Default: ${DEFAULT-VALUE}.")
    private long warmupSeconds;

    @Option(names = "--failovers", defaultValue = "5", paramLabel = "K", description = "Leader kills (kill -9) timed. Default: ${DEFAULT-VALUE}.")
    private int failovers;

    @Option(names = "--failover-rate", defaultValue = "2000", paramLabel = "N", description = "Commands per second offered during the failover trials. Default: ${DEFAULT-VALUE}.")
    private long failoverRate;

    @Option(names = "--base-port", defaultValue = "22000", paramLabel = "PORT", description = "Base port of the members (30 UDP ports from it on 127.0.0.1). Default: ${DEFAULT-VALUE}.")
    private int basePort;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON.")
    private Path json;

    @Mixin
    private EngineOptions engineOptions;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        if (throughputCommands < 1 || rate < 1 || seconds < 1 || warmupSeconds < 0 || failovers < 1
            || failoverRate < 1 || basePort < 1024 || basePort > 65_000)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --throughput-commands >= 1, --rate >= 1,"
                + " --seconds >= 1, --warmup-seconds >= 0, --failovers >= 1, --failover-rate >= 1, --base-port in "
                + "1024..65000");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        final LatencyPhase phase = new LatencyPhase(rate, warmupSeconds, seconds);
        stdout.printf(Locale.ROOT, "cluster: 3 members on 127.0.0.1:%d, %,d commands timed for throughput, latency at"
            + " %,d commands/s (%d s warm-up + %d s), %d failover(s) at %,d commands/s; then the engine alone%n",
            basePort, throughputCommands, rate, warmupSeconds, seconds, failovers, failoverRate);
        stdout.flush();
        final ClusterBench.Result cluster = ClusterBench.run(new ClusterBench.Settings(basePort, throughputCommands,
            phase, failovers, failoverRate, engineOptions.scratch()), stdout);

        final BenchEngine.Settings throughputSettings = engineOptions.settings(JournalRollCycle.HOURLY);
        final ThroughputRun engineThroughput = ThroughputHarness.run(throughputCommands, throughputCommands / 4,
            throughputSettings, engineOptions.scratch());
        final BenchEngine.Settings latencySettings = engineOptions.settings(JournalRollCycle.TEST_SECONDLY);
        final EngineLatencyRun.Result engineLatency;
        try (TempDirectory directory = TempDirectory.create(engineOptions.scratch(), "stockflow-bench-cluster-engine"))
        {
            engineLatency = EngineLatencyRun.run(phase, latencySettings, directory.path());
        }

        final LatencySummary clusterSummary = LatencySummary.of(cluster.latencyNanos());
        final LatencySummary engineSummary = LatencySummary.of(engineLatency.engine());
        final double[] failoverMs = cluster.failoverMillis().stream().mapToDouble(Double::doubleValue).sorted()
            .toArray();
        stdout.printf(Locale.ROOT, "%nthroughput (commands/s, batched): cluster %,.0f   engine %,.0f%n",
            cluster.throughputCommandsPerSecond(), engineThroughput.engineEps());
        stdout.printf(Locale.ROOT, "latency at %,d commands/s:%n", rate);
        stdout.print(new PercentileTable().add(CLUSTER, clusterSummary).add(ENGINE, engineSummary).render());
        stdout.printf(Locale.ROOT, "failover (kill -9 of the leader -> first result from the new leader, leader "
            + "heartbeat timeout %d ms), %d trial(s): min %.0f  median %.0f  max %.0f ms  (%s)%n",
            ClusterBench.heartbeatTimeoutMs(), failoverMs.length, failoverMs[0], median(failoverMs),
            failoverMs[failoverMs.length - 1], Arrays.toString(failoverMs));
        stdout.printf(Locale.ROOT, "checks: %,d of %,d results received, each once; the three members ended with one "
            + "state hash (%s); engine state hash equals a replay of its journal%n", cluster.received(),
            cluster.offered(), cluster.stateHash());
        if (json != null)
        {
            final Environment environment = Environment.capture()
                .plan("affinity_plan", engineLatency.plan())
                .put("durability", latencySettings.durability().name())
                .put("cluster_members", 3)
                .put("cluster_heartbeat_timeout_ms", ClusterBench.heartbeatTimeoutMs())
                .put("warmup_seconds", warmupSeconds)
                .put("failover_rate", failoverRate)
                .put("noise", engineLatency.noise());
            Files.writeString(json, toJson(cluster, clusterSummary, engineThroughput, engineSummary,
                cluster.failoverMillis(), environment) + "\n", StandardCharsets.UTF_8);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    private String toJson(
        final ClusterBench.Result cluster,
        final LatencySummary clusterLatency,
        final ThroughputRun engineThroughput,
        final LatencySummary engineLatency,
        final List<Double> failoverMillis,
        final Environment environment)
    {
        final JsonWriter out = new JsonWriter().beginObject()
            .field("rate", rate)
            .field("seconds", seconds);
        out.name("throughput").beginObject()
            .field("commands", throughputCommands)
            .field("cluster_commands_per_s", cluster.throughputCommandsPerSecond())
            .field("engine_commands_per_s", engineThroughput.engineEps())
            .endObject();
        out.name("latency").beginObject();
        clusterLatency.writeTo(out.name("cluster"));
        engineLatency.writeTo(out.name("engine"));
        out.endObject();
        final double[] sorted = failoverMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.name("failover").beginObject()
            .field("trials", sorted.length)
            .field("min_ms", sorted[0])
            .field("median_ms", median(sorted))
            .field("max_ms", sorted[sorted.length - 1]);
        out.name("ms").beginArray();
        for (final double ms : failoverMillis)
        {
            out.value(ms);
        }
        out.endArray().endObject();
        out.name("results").beginObject()
            .field("offered", cluster.offered())
            .field("received", cluster.received())
            .field("state_hash", cluster.stateHash())
            .endObject();
        out.name("env").tree(environment.values());
        return out.endObject().toString();
    }

    private static double median(final double[] sorted)
    {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
