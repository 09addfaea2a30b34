package io.stockflow.cluster;

import io.stockflow.cluster.cli.ClusterCommand;
import io.stockflow.cluster.cli.DemoWorkload;
import io.stockflow.cluster.client.ClientStatus;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three in-process nodes on loopback: failover by close, a follower restarted, hashes compared. */
@Slow
class InProcessClusterTest
{
    @TempDir
    Path root;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void leaderClosedMidwayLosesNothingAndAllNodesEndWithTheSingleNodeHash() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24100");
        final ResultLog results = new ResultLog();
        final int total = 6000;
        try (InProcessCluster cluster = new InProcessCluster(members, root))
        {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 42, results, 1 << 20, Duration.ofSeconds(3)))
            {
                for (int i = 0; i < total / 2; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                final int leader = cluster.awaitLeader(Duration.ofSeconds(5));
                cluster.stop(leader);
                for (int i = total / 2; i < total; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(60)), "every command answered");
                cluster.start(leader);
                assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)), "the restarted node caught up");
            }
            assertEquals(total, results.sequenceByClientSequence.size());
            assertEquals(0, results.deliveredTwice.get(), "no result delivered twice");
            final long[] hashes = new long[3];
            for (int i = 0; i < 3; i++)
            {
                hashes[i] = cluster.nodes[i].service().stateHash();
            }
            for (int i = 0; i < 3; i++)
            {
                cluster.stop(i);
            }
            for (int i = 0; i < 3; i++)
            {
                final LogCheck check = LogCheck.of(cluster.nodeDirectory(i), 42);
                assertEquals(0, check.appliedTwice, "node " + i + ": nothing applied twice");
                assertEquals(results.sequenceByClientSequence, check.sequenceByClientSequence,
                    "node " + i + ": every delivered result is the applied command's");
                assertEquals(hashes[0], hashes[i], "node " + i + " hash");
                assertEquals(hashes[0], check.clusterHash, "node " + i + " log replay hash");
                assertEquals(hashes[0], check.singleNodeHash, "node " + i + " single-node replay hash");
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void followerRestartedOnItsDirectoryAndABlankNodeBothCatchUp() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24130");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster = new InProcessCluster(members, root))
        {
            cluster.startAll();
            final int leader = cluster.awaitLeader(Duration.ofSeconds(20));
            final int follower = (leader + 1) % 3;
            final int blank = (leader + 2) % 3;
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 7, results, 1 << 20, Duration.ofSeconds(3)))
            {
                for (int i = 0; i < 2000; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                cluster.stop(follower);
                for (int i = 2000; i < 5000; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)), "two of three still commit");
                cluster.start(follower);
                assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)),
                    "the follower caught up from its snapshot and the log");
                // Aeron 1.51 has no dynamic join: a static member with an empty directory replays the leader's whole log.
                cluster.stop(blank);
                org.agrona.IoUtil.delete(cluster.nodeDirectory(blank), false);
                for (int i = 5000; i < 6000; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                cluster.start(blank);
                assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)), "the blank node caught up");
            }
            final long hash = cluster.nodes[leader].service().stateHash();
            assertEquals(hash, cluster.nodes[follower].service().stateHash());
            assertEquals(hash, cluster.nodes[blank].service().stateHash());
            assertEquals(6000, cluster.nodes[blank].service().lastSequence());
            assertEquals(6000, results.sequenceByClientSequence.size());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoOfThreeStoppedLeavesCommandsInDoubtWithNoQuorumUntilAQuorumReturns() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24160");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster = new InProcessCluster(members, root))
        {
            cluster.startAll();
            final int leader = cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 9, results, 1 << 20, Duration.ofSeconds(2)))
            {
                for (int i = 0; i < 500; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                cluster.stop((leader + 1) % 3);
                cluster.stop((leader + 2) % 3);
                for (int i = 500; i < 800; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (client.status() != ClientStatus.NO_QUORUM && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                assertEquals(ClientStatus.NO_QUORUM, client.status(), client.statusReason());
                assertTrue(client.statusReason().contains("no quorum"), client.statusReason());
                assertTrue(client.inDoubt() > 0, "sent commands are in doubt");
                assertEquals(500, results.sequenceByClientSequence.size(), "nothing acknowledged without a quorum");
                cluster.start((leader + 1) % 3);
                cluster.start((leader + 2) % 3);
                assertTrue(client.awaitSettled(Duration.ofSeconds(60)), "settled once a quorum is back: "
                    + client.statusReason());
                assertEquals(ClientStatus.CONNECTED, client.status());
            }
            assertEquals(800, results.sequenceByClientSequence.size());
            assertEquals(0, results.deliveredTwice.get());
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            for (int i = 0; i < 3; i++)
            {
                cluster.stop(i);
                final LogCheck check = LogCheck.of(cluster.nodeDirectory(i), 9);
                assertEquals(0, check.appliedTwice, "node " + i + ": nothing applied twice");
                assertEquals(results.sequenceByClientSequence, check.sequenceByClientSequence);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void snapshotOnDemandIsLoadedOnRestartAndStatusNamesTheLeader() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24190");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster = new InProcessCluster(members, root))
        {
            cluster.startAll();
            final int leader = cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 11, results, 1 << 20, Duration.ofSeconds(3)))
            {
                for (int i = 0; i < 1000; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                final StringWriter out = new StringWriter();
                assertEquals(0, ClusterCommand.execute(new String[] {"snapshot", "--members", members.toString()},
                    new PrintWriter(out), new PrintWriter(new StringWriter())));
                assertTrue(out.toString().contains("snapshot taken by leader member " + leader), out.toString());
                for (int i = 1000; i < 1500; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                final StringWriter status = new StringWriter();
                assertEquals(0, ClusterCommand.execute(new String[] {"status", "--members", members.toString()},
                    new PrintWriter(status), new PrintWriter(new StringWriter())));
                assertTrue(status.toString().contains("leader: member " + leader), status.toString());
            }
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            final long hash = cluster.nodes[leader].service().stateHash();
            for (int i = 0; i < 3; i++)
            {
                assertTrue(cluster.nodes[i].service().snapshotsTaken() >= 1, "member " + i + " took the snapshot");
                cluster.stop(i);
            }
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(30));
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            for (int i = 0; i < 3; i++)
            {
                assertTrue(cluster.nodes[i].service().restoredFromSnapshot(), "member " + i + " loaded its snapshot");
                assertEquals(1500, cluster.nodes[i].service().lastSequence());
                assertEquals(hash, cluster.nodes[i].service().stateHash());
            }
        }
    }
}
