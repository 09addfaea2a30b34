package io.stockflow.cluster;

import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.cluster.node.StockflowClusterNode;
import io.stockflow.engine.rules.RuleParameters;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test support: the members of a cluster as in-process {@link StockflowClusterNode}s (one JVM,
 * one media driver per node), with start, stop, leader lookup and convergence waits.
 */
final class InProcessCluster implements AutoCloseable
{
    final MembersSpec members;
    final Path root;
    final StockflowClusterNode[] nodes;
    private long[] ruleParameters = {RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
        RuleParameters.DEFAULT_SKU_CAPACITY};

    InProcessCluster(final MembersSpec members, final Path root)
    {
        this.members = members;
        this.root = root;
        this.nodes = new StockflowClusterNode[members.count()];
    }

    /** The rule parameters every member is started with (what a new cluster's log begins with). */
    InProcessCluster ruleParameters(final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        ruleParameters = new long[] {retentionMs, orderCapacity, skuCapacity};
        return this;
    }

    File nodeDirectory(final int id)
    {
        return root.resolve("node" + id).toFile();
    }

    void startAll()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            start(i);
        }
    }

    void start(final int id)
    {
        nodes[id] = StockflowClusterNode.launch(
            NodeSettings.defaults(id, members, nodeDirectory(id)).withSnapshotLogBytes(256 * 1024)
                .withRuleParameters(ruleParameters[0], ruleParameters[1], ruleParameters[2]),
            Throwable::printStackTrace);
    }

    void stop(final int id)
    {
        CloseHelper.quietClose(nodes[id]);
        nodes[id] = null;
    }

    int awaitLeader(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            for (int i = 0; i < nodes.length; i++)
            {
                if (nodes[i] != null && nodes[i].isLeader())
                {
                    return i;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no leader within " + timeout);
    }

    /** Polls every running node (snapshot policy, state file) until all report the same position. */
    boolean awaitConverged(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            long position = -1;
            boolean same = true;
            for (final StockflowClusterNode node : nodes)
            {
                if (node == null)
                {
                    continue;
                }
                node.poll();
                final long p = node.service().logPosition();
                same &= position < 0 || p == position;
                position = p;
            }
            if (same && position > 0)
            {
                Thread.sleep(200);
                boolean still = true;
                for (final StockflowClusterNode node : nodes)
                {
                    still &= node == null || node.service().logPosition() == position;
                }
                if (still)
                {
                    return true;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            stop(i);
        }
        for (int i = 0; i < nodes.length; i++)
        {
            IoUtil.delete(members.aeronDirectory(i), true);
        }
    }
}
