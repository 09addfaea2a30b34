package io.stockflow.cluster;

import io.stockflow.cluster.cli.DemoWorkload;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeCounters;
import io.stockflow.cluster.node.NodeProcess;
import io.stockflow.journal.testing.Slow;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members as child JVMs under a modest load (about 2,000 commands/s from one client), the
 * leader killed with {@code kill -9} at random moments, ten times, each time restarted on its
 * directory. Then: every result the client delivered is the applied command's in every member's
 * log, nothing was applied twice, all hashes are equal, and equal to a single-node replay.
 */
@Slow
class LeaderKillTrialsTest
{
    private static final int TRIALS = 10;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void leaderKilledAtRandomMomentsLosesNoDeliveredResultAndAppliesNothingTwice() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24500");
        final NodeProcess[] nodes = new NodeProcess[3];
        final ResultLog results = new ResultLog();
        final Random random = new Random(Long.getLong("stockflow.cluster.seed", System.nanoTime()));
        final List<Double> failoverSeconds = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                nodes[i] = new NodeProcess(members, i, root.resolve("node" + i).toFile(),
                    root.resolve("node" + i + ".log").toFile());
                nodes[i].start(256 * 1024);
            }
            awaitLeader(nodes, Duration.ofSeconds(60));
            final AtomicBoolean feeding = new AtomicBoolean(true);
            final AtomicInteger fed = new AtomicInteger();
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 5, results, 1 << 22, Duration.ofSeconds(3)))
            {
                final Thread feeder = new Thread(() ->
                {
                    try
                    {
                        while (feeding.get())
                        {
                            DemoWorkload.offer(client, fed.getAndIncrement());
                            if (fed.get() % 4 == 0)
                            {
                                Thread.sleep(2);
                            }
                        }
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, "feeder");
                feeder.start();
                for (int trial = 0; trial < TRIALS; trial++)
                {
                    Thread.sleep(300 + random.nextInt(1200));
                    final int leader = awaitLeader(nodes, Duration.ofSeconds(30));
                    nodes[leader].kill();
                    final long killNs = System.nanoTime();
                    while (results.lastResultNs < killNs && System.nanoTime() - killNs < TimeUnit.SECONDS.toNanos(30))
                    {
                        Thread.sleep(5);
                    }
                    failoverSeconds.add((results.lastResultNs - killNs) / 1e9);
                    nodes[leader].start(256 * 1024);
                    awaitCaughtUp(nodes, leader, Duration.ofSeconds(60));
                }
                feeding.set(false);
                feeder.join(10_000);
                assertTrue(client.awaitSettled(Duration.ofSeconds(60)), "every command answered: "
                    + client.statusReason());
                assertEquals(client.offered(), results.sequenceByClientSequence.size());
            }
            System.out.println(results.sequenceByClientSequence.size()
                + " commands; failover (kill -9 to the first result after it), s: " + failoverSeconds);
            awaitSamePosition(nodes, Duration.ofSeconds(30));
            final long[] hashes = new long[3];
            for (int i = 0; i < 3; i++)
            {
                hashes[i] = Long.parseLong(nodes[i].state().getProperty("stateHash"));
            }
            for (final NodeProcess node : nodes)
            {
                node.stop();
            }
            assertEquals(0, results.deliveredTwice.get(), "no result delivered twice");
            for (int i = 0; i < 3; i++)
            {
                final LogCheck check = LogCheck.of(root.resolve("node" + i).toFile(), 5);
                assertEquals(0, check.appliedTwice, "node " + i + ": nothing applied twice");
                assertEquals(results.sequenceByClientSequence, check.sequenceByClientSequence,
                    "node " + i + ": every delivered result is in the final state");
                assertEquals(hashes[0], hashes[i], "node " + i + " state hash");
                assertEquals(hashes[0], check.singleNodeHash, "node " + i + " single-node replay hash");
            }
        }
        finally
        {
            for (final NodeProcess node : nodes)
            {
                if (node != null)
                {
                    node.kill();
                }
            }
            for (int i = 0; i < 3; i++)
            {
                IoUtil.delete(members.aeronDirectory(i), true);
            }
        }
    }

    static int awaitLeader(final NodeProcess[] nodes, final Duration timeout) throws InterruptedException
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
        throw new AssertionError("no leader within " + timeout);
    }

    /** Waits until the restarted member follows and has committed what the leader had at its restart. */
    private void awaitCaughtUp(final NodeProcess[] nodes, final int restarted, final Duration timeout)
        throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final long target = nodes[awaitLeader(nodes, timeout)].counters().commitPosition();
        NodeCounters mine = nodes[restarted].counters();
        while (System.nanoTime() < deadline)
        {
            mine = nodes[restarted].counters();
            if (mine.running() && mine.role() == 0 && mine.commitPosition() >= target)
            {
                return;
            }
            Thread.sleep(20);
        }
        final String log = Files.readString(root.resolve("node" + restarted + ".log"));
        throw new AssertionError("member " + restarted + " did not reach commit position " + target + " within "
            + timeout + ": " + mine + "; its log ends:\n" + log.substring(Math.max(0, log.length() - 3000)));
    }

    private static void awaitSamePosition(final NodeProcess[] nodes, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            final String p0 = nodes[0].state().getProperty("logPosition", "a");
            if (p0.equals(nodes[1].state().getProperty("logPosition", "b"))
                && p0.equals(nodes[2].state().getProperty("logPosition", "c")))
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the members did not reach the same log position within " + timeout);
    }
}
