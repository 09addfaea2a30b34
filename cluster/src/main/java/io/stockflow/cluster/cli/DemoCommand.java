package io.stockflow.cluster.cli;

import io.stockflow.cli.ExitCodes;
import io.stockflow.cli.UserException;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeProcess;
import org.agrona.IoUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cluster demo}: three members as child JVMs on loopback, a workload through the client,
 * the leader killed with {@code kill -9} midway, the dead member restarted, and the check that all
 * three end with the same state hash, equal to a single-node engine's hash for the same commands in
 * log order (member 0's log exported into {@code DIR/engine}). DIR keeps one directory per member
 * (and their logs) for {@code status}, {@code export} and the single-node commands; without
 * {@code --dir} a temporary directory is removed at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Three nodes on loopback, a workload, the leader killed with kill -9 midway, restart, hashes compared.")
final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR", description = "Keep the node directories here (new or empty).")
    private File dir;

    @Option(names = "--base-port", defaultValue = "21000", paramLabel = "PORT", description = "Base port of the members spec. Default: ${DEFAULT-VALUE}.")
    private int basePort;

    @Option(names = "--commands", defaultValue = "20000", paramLabel = "N", description = "Commands in the workload. Default: ${DEFAULT-VALUE}.")
    private int commands;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final MembersSpec members;
        try
        {
            members = MembersSpec.parse("3@127.0.0.1:" + basePort);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final boolean keep = dir != null;
        final File root = keep ? dir : Files.createTempDirectory("stockflow-cluster-demo").toFile();
        final String[] existing = root.list();
        if (keep && root.exists() && (existing == null || existing.length > 0))
        {
            throw new UserException(ExitCodes.NO_INPUT, root + " is not a new or empty directory");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final NodeProcess[] nodes = new NodeProcess[3];
        try
        {
            return run(members, root, keep, nodes, out);
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
            if (!keep)
            {
                IoUtil.delete(root, true);
            }
        }
    }

    private int run(final MembersSpec members, final File root, final boolean keep, final NodeProcess[] nodes,
        final PrintWriter out)
        throws IOException, InterruptedException
    {
        root.mkdirs();
        for (int i = 0; i < 3; i++)
        {
            nodes[i] = new NodeProcess(members, i, new File(root, "node" + i), new File(root, "node" + i + ".log"));
            nodes[i].start(1L << 20);
        }
        out.println("started 3 nodes of " + members + " in " + root);
        out.flush();
        final int firstLeader = awaitLeader(nodes, -1, 60_000);
        out.println("leader: member " + firstLeader);
        final AtomicLong lastResultNs = new AtomicLong();
        final long start = System.nanoTime();
        final long killNs;
        final int killed;
        try (StockflowClusterClient client = new StockflowClusterClient(members, 1, (clientSequence, tag, type,
            sequence, outcome) -> lastResultNs.set(System.nanoTime()), 1 << 22, Duration.ofSeconds(5)))
        {
            for (int i = 0; i < commands / 2; i++)
            {
                DemoWorkload.offer(client, i);
            }
            while (client.delivered() < commands / 4)
            {
                Thread.sleep(1);
            }
            killed = awaitLeader(nodes, -1, 10_000);
            nodes[killed].kill();
            killNs = System.nanoTime();
            out.println("kill -9 of leader member " + killed + " after " + client.delivered() + " results");
            out.flush();
            for (int i = commands / 2; i < commands; i++)
            {
                DemoWorkload.offer(client, i);
            }
            if (!client.awaitSettled(Duration.ofSeconds(90)))
            {
                throw new UserException(ExitCodes.TEMP_FAIL, "the commands did not settle: " + client.statusReason());
            }
            out.printf(
                "all %d commands answered in %.2f s (new leader: member %d; last result %.2f s after the kill)%n",
                client.delivered(), (System.nanoTime() - start) / 1e9, client.leaderMemberId(),
                (lastResultNs.get() - killNs) / 1e9);
        }
        nodes[killed].start(1L << 20);
        out.println("restarted member " + killed + " on its directory");
        out.flush();
        final String[] hashes = awaitSameState(nodes, 60_000);
        for (int i = 0; i < 3; i++)
        {
            out.println("member " + i + " state hash " + hashes[i]);
        }
        for (final NodeProcess node : nodes)
        {
            node.stop();
        }
        final ExportCommand.Result export = ExportCommand.export(new File(root, "node0"), new File(root, "engine"));
        final String single = ClusterCommand.hash(export.engineHash());
        out.println("single-node engine on the " + export.commands() + " applied commands in log order: state hash "
            + single + (keep ? " (journal in " + new File(root, "engine") + ")" : ""));
        final boolean same = single.equals(hashes[0]) && hashes[0].equals(hashes[1]) && hashes[1].equals(hashes[2]);
        out.println(same ? "OK: all three members and the single-node engine agree"
            : "MISMATCH: the state hashes differ");
        return same ? 0 : ExitCodes.INTERNAL;
    }

    private static int awaitLeader(final NodeProcess[] nodes, final int exclude, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (final NodeProcess node : nodes)
            {
                if (node.memberId() != exclude && node.isAlive() && node.counters().isLeader())
                {
                    return node.memberId();
                }
            }
            Thread.sleep(20);
        }
        throw new UserException(ExitCodes.TEMP_FAIL, "no leader within " + timeoutMs + " ms");
    }

    private static String[] awaitSameState(final NodeProcess[] nodes, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final String[] positions = new String[nodes.length];
            final String[] hashes = new String[nodes.length];
            for (int i = 0; i < nodes.length; i++)
            {
                final Properties state = nodes[i].state();
                positions[i] = state.getProperty("logPosition", "-" + i);
                hashes[i] = ClusterCommand.hash(Long.parseLong(state.getProperty("stateHash", "0")));
            }
            if (positions[0].equals(positions[1]) && positions[1].equals(positions[2]))
            {
                return hashes;
            }
            Thread.sleep(100);
        }
        throw new UserException(ExitCodes.TEMP_FAIL, "the members did not reach the same log position within "
            + timeoutMs + " ms");
    }
}
