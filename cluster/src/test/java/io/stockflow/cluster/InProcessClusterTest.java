package io.stockflow.cluster;

import io.stockflow.cluster.cli.DemoWorkload;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three in-process nodes on loopback: failover by close, a follower restarted, hashes compared. */
@Tag("slow")
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
}
