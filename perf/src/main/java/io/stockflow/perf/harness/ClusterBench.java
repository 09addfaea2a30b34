package io.stockflow.perf.harness;

import io.stockflow.cluster.client.ClusterResultListener;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeProcess;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.perf.report.Histograms;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bench cluster}'s cluster side: three members as child JVMs on loopback (the processes
 * {@code cluster demo} and the kill tests start, so a failover trial is a real {@code kill -9}), fed
 * the benchmarks' command mix ({@link DemoWorkload}, one generator for the whole run, so order ids
 * stay unique) through {@link StockflowClusterClient}, in three phases:
 *
 * <ul>
 *   <li>throughput: commands offered as fast as the client's queue takes them (the client batches
 *       them into ingress messages), timed from the first offer to the last result;</li>
 *   <li>latency: commands at a constant rate ({@link Pacer}), each measured from its planned send
 *       time to its result at the client, so a stall is charged to every command planned during it
 *       (no coordinated omission);</li>
 *   <li>failover: a steady low rate while the leader is killed with {@code kill -9}, measured from
 *       the kill to the first result from the new leader, over the given number of trials (the dead
 *       member is restarted on its directory and caught up before the next trial).</li>
 * </ul>
 *
 * Every phase checks that every offered command got its result, and the run ends by checking that
 * the three members reached the same log position and state hash.
 */
public final class ClusterBench
{
    private static final long SNAPSHOT_LOG_BYTES = 64L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(120);

    private ClusterBench()
    {
    }

    /**
     * What to run.
     *
     * @param basePort           the members spec's base port (3 members: 30 ports from it).
     * @param throughputCommands commands timed in the throughput phase (a quarter more before, untimed).
     * @param phase              the latency phase's rate, warm-up and measured seconds.
     * @param failovers          leader kills.
     * @param failoverRate       commands per second offered during the failover trials.
     * @param scratch            where the node directories go (deleted after); null for the system's.
     */
    public record Settings(int basePort, long throughputCommands, LatencyPhase phase, int failovers,
        long failoverRate, Path scratch)
    {}

    /**
     * What the cluster did.
     *
     * @param throughputCommandsPerSecond the throughput phase's commands per second.
     * @param latencyNanos                planned send time to result at the client, measured commands.
     * @param failoverMillis              kill to first result from the new leader, per trial.
     * @param offered                     commands offered over the run.
     * @param received                    results received over the run (each once).
     * @param stateHash                   the state hash all three members ended with (checked).
     */
    public record Result(double throughputCommandsPerSecond, Histogram latencyNanos, List<Double> failoverMillis,
        long offered, long received, String stateHash)
    {}

    /**
     * @param settings what to run.
     * @param progress where a line per phase goes.
     * @return the figures, checked.
     * @throws IOException          if a node cannot be started.
     * @throws InterruptedException if interrupted.
     * @throws BenchCheckException  when a result is missing or the members disagree.
     */
    public static Result run(final Settings settings, final PrintWriter progress)
        throws IOException, InterruptedException
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:" + settings.basePort());
        final NodeProcess[] nodes = new NodeProcess[3];
        try (TempDirectory root = TempDirectory.create(settings.scratch(), "stockflow-bench-cluster"))
        {
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    nodes[i] = new NodeProcess(members, i, root.resolve("node" + i).toFile(),
                        root.resolve("node" + i + ".log").toFile());
                    nodes[i].start(SNAPSHOT_LOG_BYTES);
                }
                awaitLeader(nodes, Duration.ofSeconds(60));
                return phases(settings, members, nodes, progress);
            }
            finally
            {
                for (final NodeProcess node : nodes)
                {
                    if (node != null)
                    {
                        node.stop();
                    }
                }
                for (int i = 0; i < 3; i++)
                {
                    IoUtil.delete(members.aeronDirectory(i), true);
                }
            }
        }
    }

    private static Result phases(final Settings settings, final MembersSpec members, final NodeProcess[] nodes,
        final PrintWriter progress) throws IOException, InterruptedException
    {
        final WorkloadGenerator generator = DemoWorkload.generator();
        final long[] counts = new long[2];
        final double throughput = throughput(settings, members, generator, counts);
        progress.printf(Locale.ROOT, "cluster throughput: %,.0f commands/s%n", throughput);
        progress.flush();
        final Histogram latency = latency(settings.phase(), members, generator, counts);
        progress.printf(Locale.ROOT, "cluster latency at %,d/s: p50 %.0f µs, p99 %.0f µs%n", settings.phase().rate(),
            latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3);
        progress.flush();
        final List<Double> failovers = failovers(settings, members, nodes, generator, counts, progress);
        final String[] hashes = awaitSameState(nodes, Duration.ofSeconds(60));
        final boolean equal = hashes[0].equals(hashes[1]) && hashes[1].equals(hashes[2]);
        BenchCheckException.check(counts[0] == counts[1], "the cluster answered " + counts[1] + " of " + counts[0]
            + " commands");
        BenchCheckException.check(equal, "the members' state hashes differ: " + String.join(", ", hashes));
        return new Result(throughput, latency, failovers, counts[0], counts[1], hashes[0]);
    }

    private static double throughput(final Settings settings, final MembersSpec members,
        final WorkloadGenerator generator, final long[] counts) throws InterruptedException
    {
        final long warmup = settings.throughputCommands() / 4;
        final GeneratedCommand command = new GeneratedCommand();
        try (StockflowClusterClient client = client(members, 1, (clientSequence, tag, type, sequence, outcome) ->
        {}))
        {
            offer(client, generator, command, warmup);
            settle(client, warmup);
            final long start = System.nanoTime();
            offer(client, generator, command, settings.throughputCommands());
            settle(client, warmup + settings.throughputCommands());
            final long elapsed = System.nanoTime() - start;
            counts[0] += client.offered();
            counts[1] += client.delivered();
            return settings.throughputCommands() * 1e9 / elapsed;
        }
    }

    private static Histogram latency(final LatencyPhase phase, final MembersSpec members,
        final WorkloadGenerator generator, final long[] counts) throws InterruptedException
    {
        final long total = phase.totalEvents();
        final long[] plannedByIndex = new long[Math.toIntExact(total)];
        final Histogram nanos = Histograms.nanos();
        final long measuredFrom = phase.warmupEvents();
        final GeneratedCommand command = new GeneratedCommand();
        try (StockflowClusterClient client = client(members, 2, (clientSequence, tag, type, sequence, outcome) ->
        {
            if (tag >= measuredFrom)
            {
                Histograms.record(nanos, System.nanoTime() - plannedByIndex[(int)tag]);
            }
        }))
        {
            final Pacer pacer = phase.pacer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
            for (int i = 0; i < total; i++)
            {
                plannedByIndex[i] = pacer.awaitPlanned(i);
                generator.next(command);
                while (!client.publisher().offer(command, command.ts(), i))
                {
                    Thread.onSpinWait();
                }
            }
            settle(client, total);
            counts[0] += client.offered();
            counts[1] += client.delivered();
        }
        BenchCheckException.check(nanos.getTotalCount() == phase.measuredEvents(), "recorded "
            + nanos.getTotalCount() + " latencies for " + phase.measuredEvents() + " measured commands");
        return nanos;
    }

    private static List<Double> failovers(final Settings settings, final MembersSpec members,
        final NodeProcess[] nodes, final WorkloadGenerator generator, final long[] counts, final PrintWriter progress)
        throws IOException, InterruptedException
    {
        final List<Double> millis = new ArrayList<>();
        final FailoverProbe probe = new FailoverProbe();
        final AtomicBoolean feeding = new AtomicBoolean(true);
        try (StockflowClusterClient client = client(members, 3, probe))
        {
            probe.client = client;
            final Thread feeder = new Thread(() -> feed(client, generator, settings.failoverRate(), feeding),
                "bench-cluster-feeder");
            feeder.start();
            try
            {
                for (int trial = 1; trial <= settings.failovers(); trial++)
                {
                    Thread.sleep(1000);
                    final int leader = awaitLeader(nodes, Duration.ofSeconds(60));
                    probe.arm(leader);
                    nodes[leader].kill();
                    probe.killNs = System.nanoTime();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (probe.firstResultNs == 0 && System.nanoTime() < deadline)
                    {
                        Thread.sleep(1);
                    }
                    BenchCheckException.check(probe.firstResultNs != 0, "no result within 60 s of killing leader "
                        + "member " + leader + ": " + client.statusReason());
                    final double ms = (probe.firstResultNs - probe.killNs) / 1e6;
                    millis.add(ms);
                    progress.printf(Locale.ROOT, "failover %d: kill -9 of leader member %d, first result from member"
                        + " %d after %.0f ms%n", trial, leader, probe.newLeader, ms);
                    progress.flush();
                    nodes[leader].start(SNAPSHOT_LOG_BYTES);
                    awaitCaughtUp(nodes, leader, Duration.ofSeconds(60));
                }
            }
            finally
            {
                feeding.set(false);
                feeder.join(TimeUnit.SECONDS.toMillis(10));
            }
            settle(client, client.offered());
            counts[0] += client.offered();
            counts[1] += client.delivered();
        }
        return millis;
    }

    private static void feed(final StockflowClusterClient client, final WorkloadGenerator generator,
        final long rate, final AtomicBoolean feeding)
    {
        final GeneratedCommand command = new GeneratedCommand();
        final Pacer pacer = new Pacer(System.nanoTime(), rate);
        for (long i = 0; feeding.get(); i++)
        {
            pacer.awaitPlanned(i);
            generator.next(command);
            while (!client.publisher().offer(command, command.ts(), i) && feeding.get())
            {
                Thread.onSpinWait();
            }
        }
    }

    private static StockflowClusterClient client(final MembersSpec members, final long clientId,
        final ClusterResultListener listener)
    {
        return new StockflowClusterClient(members, clientId, listener, 1 << 22, Duration.ofSeconds(5));
    }

    private static void offer(final StockflowClusterClient client, final WorkloadGenerator generator,
        final GeneratedCommand command, final long count)
    {
        for (long i = 0; i < count; i++)
        {
            generator.next(command);
            while (!client.publisher().offer(command, command.ts(), i))
            {
                Thread.onSpinWait();
            }
        }
    }

    private static void settle(final StockflowClusterClient client, final long expected) throws InterruptedException
    {
        BenchCheckException.check(client.awaitSettled(SETTLE) && client.delivered() == expected, "the cluster "
            + "answered " + client.delivered() + " of " + expected + " commands within " + SETTLE.toSeconds()
            + " s: " + client.statusReason());
    }

    private static int awaitLeader(final NodeProcess[] nodes, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            for (final NodeProcess node : nodes)
            {
                if (node.isAlive() && node.counters().isLeader())
                {
                    return node.memberId();
                }
            }
            Thread.sleep(10);
        }
        throw new BenchCheckException("no cluster leader within " + timeout.toSeconds() + " s");
    }

    /** Waits until the restarted member has applied the log up to where the others were when it came back. */
    private static void awaitCaughtUp(final NodeProcess[] nodes, final int restarted, final Duration timeout)
        throws InterruptedException
    {
        long target = 0;
        for (final NodeProcess node : nodes)
        {
            if (node.memberId() != restarted)
            {
                target = Math.max(target, position(node));
            }
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (position(nodes[restarted]) < target)
        {
            BenchCheckException.check(System.nanoTime() < deadline, "member " + restarted + " did not catch up to "
                + "log position " + target + " within " + timeout.toSeconds() + " s");
            Thread.sleep(50);
        }
    }

    private static long position(final NodeProcess node)
    {
        return Long.parseLong(node.state().getProperty("logPosition", "0"));
    }

    private static String[] awaitSameState(final NodeProcess[] nodes, final Duration timeout)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final String[] hashes = new String[nodes.length];
        while (true)
        {
            final String[] positions = new String[nodes.length];
            for (int i = 0; i < nodes.length; i++)
            {
                final Properties state = nodes[i].state();
                positions[i] = state.getProperty("logPosition", "-" + i);
                hashes[i] = String.format("%016x", Long.parseLong(state.getProperty("stateHash", "0")));
            }
            if (positions[0].equals(positions[1]) && positions[1].equals(positions[2]))
            {
                return hashes;
            }
            BenchCheckException.check(System.nanoTime() < deadline, "the members did not reach one log position"
                + " within " + timeout.toSeconds() + " s: " + String.join(", ", positions));
            Thread.sleep(100);
        }
    }

    /** Notes the first result after a kill that came from another leader than the killed one. */
    private static final class FailoverProbe implements ClusterResultListener
    {
        private volatile StockflowClusterClient client;
        private volatile int killed = -1;
        private volatile long killNs = Long.MAX_VALUE;
        private volatile long firstResultNs;
        private volatile int newLeader = -1;

        void arm(final int leader)
        {
            killNs = Long.MAX_VALUE;
            firstResultNs = 0;
            killed = leader;
        }

        @Override
        public void onResult(final long clientSequence, final long tag, final CommandType type, final long sequence,
            final int outcome)
        {
            final long now = System.nanoTime();
            final int leader = client == null ? -1 : client.leaderMemberId();
            if (firstResultNs == 0 && now > killNs && leader >= 0 && leader != killed)
            {
                newLeader = leader;
                firstResultNs = now;
            }
        }
    }

    /** @return the leader heartbeat timeout the members run with (what a failover waits first). */
    public static long heartbeatTimeoutMs()
    {
        return NodeSettings.DEFAULT_HEARTBEAT_TIMEOUT_MS;
    }
}
