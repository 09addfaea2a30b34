package io.stockflow.cluster.cli;

import io.stockflow.cli.RuleFlags;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.cluster.node.StockflowClusterNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cluster node}: runs one member until SIGTERM (or SIGINT), polling the node every 100 ms
 * (snapshot policy, state file). A SIGTERM closes it in order; a {@code kill -9} leaves a directory
 * the next start takes over at once.
 *
 * <p>The rule parameter flags are {@code stockflow run}'s ({@link RuleFlags}, same syntax, ranges and
 * defaults): they are what a new cluster's log begins with (its parameters record, sent by the first
 * leader), so give every member the same ones. A cluster whose log has begun keeps the parameters of
 * its log; a RULES command changes them.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run cluster member N on DIR until SIGTERM.")
final class NodeCommand implements Callable<Integer>
{
    @Option(names = "--id", required = true, paramLabel = "N", description = "This member's id, 0..COUNT-1.")
    private int id;

    @Option(names = "--members", required = true, paramLabel = "SPEC", description = "COUNT@HOST:BASEPORT.")
    private MembersSpec members;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "This member's directory (new, empty, or its own).")
    private File dir;

    @Option(names = "--heartbeat-timeout-ms", defaultValue = "1000", paramLabel = "MS", description = "Leader heartbeat timeout. Default: ${DEFAULT-VALUE}.")
    private long heartbeatTimeoutMs;

    @Option(names = "--snapshot-log-bytes", defaultValue = "67108864", paramLabel = "BYTES", description = "Snapshot when the log grew this much (0: never). Default: ${DEFAULT-VALUE}.")
    private long snapshotLogBytes;

    @Option(names = "--snapshot-interval-ms", defaultValue = "0", paramLabel = "MS", description = "Snapshot this often while the log grows (0: never). Default: ${DEFAULT-VALUE}.")
    private long snapshotIntervalMs;

    @Option(names = "--order-retention", paramLabel = "DURATION", description = "A new cluster's retentionMs: how long a settled order (and an idle client's deduplication record) is held (90s, 10m, 36h, 7d or plain ms; 0: never forget; default 7d).")
    private String orderRetention;

    @Option(names = "--order-capacity", paramLabel = "N", description = "A new cluster's orderCapacity: most orders held, 0 (no limit) or 1..268435456 (default 16777216).")
    private String orderCapacity;

    @Option(names = "--sku-capacity", paramLabel = "N", description = "A new cluster's skuCapacity: most SKUs, 0 (no limit) or 1..16777216 (default 1048576).")
    private String skuCapacity;

    @Option(names = "--max-clock-ahead", paramLabel = "DURATION", description = "Refuse a command whose ts is more than this ahead of its log entry's cluster time (default 1d; 0 turns the bound off).")
    private String maxClockAhead;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        if (heartbeatTimeoutMs < 100 || snapshotLogBytes < 0 || snapshotIntervalMs < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--heartbeat-timeout-ms must be >= 100 and the snapshot settings >= 0");
        }
        try
        {
            members.checkMember(id);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final RuleFlags flags = new RuleFlags(orderRetention, orderCapacity, skuCapacity, maxClockAhead);
        final long[] parameters = flags.forNewDirectory(null);
        final NodeSettings settings = new NodeSettings(id, members, dir, heartbeatTimeoutMs, snapshotLogBytes,
            snapshotIntervalMs, parameters[0], parameters[1], parameters[2], flags.maxClockAheadMs());
        final PrintWriter out = spec.commandLine().getOut();
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.countDown();
            try
            {
                closed.await(15, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "stockflow-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (StockflowClusterNode node = StockflowClusterNode.launch(settings, Throwable::printStackTrace))
        {
            if (node.archiveRepair() != null)
            {
                out.println("node " + id + " " + node.archiveRepair());
            }
            out.println(
                "node " + id + " of " + members + " running (pid " + ProcessHandle.current().pid() + ") on " + dir);
            out.flush();
            while (!stop.await(100, TimeUnit.MILLISECONDS))
            {
                node.poll();
            }
        }
        finally
        {
            out.println("node " + id + " stopped");
            out.flush();
            closed.countDown();
        }
        return 0;
    }
}
