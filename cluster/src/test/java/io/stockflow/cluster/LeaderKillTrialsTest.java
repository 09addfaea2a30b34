package io.stockflow.cluster;

import io.stockflow.cluster.cli.ClusterCommand;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members as child JVMs under a modest load (about 2,000 commands/s from one client), the
 * leader killed with {@code kill -9} at random moments, ten times, each time restarted on its
 * directory; and a follower killed after a snapshot, restarted from it. Then: every result the
 * client delivered is the applied command's in every member's log, nothing was applied twice, all
 * hashes are equal, and equal to a single-node replay.
 */
@Slow
class LeaderKillTrialsTest
{
    /** How long every member's state file must show the same log position before the final check reads it. */
    private static final Duration SETTLED_FOR = Duration.ofSeconds(1);

    private static final int TRIALS = 10;
    private static final long CLIENT_ID = 5;

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
            startMembers(members, nodes, 256 * 1024);
            awaitLeader(nodes, Duration.ofSeconds(60));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, CLIENT_ID, results, 1 << 22, Duration.ofSeconds(3));
                Feeder feeder = new Feeder(client))
            {
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
                feeder.finish(results);
            }
            System.out.println(results.sequenceByClientSequence.size()
                + " commands; failover (kill -9 to the first result after it), s: " + failoverSeconds);
            assertConsistent(nodes, results);
        }
        finally
        {
            killAll(members, nodes);
        }
    }

    /**
     * A follower killed with {@code kill -9} under load after a cluster snapshot (asked for as
     * {@code stockflow cluster snapshot} does), the log growing while it is down, restarted on its
     * directory: it loads that snapshot, catches up to the leader's commit position from its log and
     * the leader's, and ends with the others' state, which is a single-node replay's.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void followerKilledAfterASnapshotRestartsFromItAndCatchesUp() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24540");
        final NodeProcess[] nodes = new NodeProcess[3];
        final ResultLog results = new ResultLog();
        try
        {
            startMembers(members, nodes, 0);
            awaitLeader(nodes, Duration.ofSeconds(60));
            final long startNs = System.nanoTime();
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, CLIENT_ID, results, 1 << 22, Duration.ofSeconds(3));
                Feeder feeder = new Feeder(client))
            {
                Thread.sleep(1000);
                final StringWriter out = new StringWriter();
                assertEquals(0, ClusterCommand.execute(new String[] {"snapshot", "--members", members.toString()},
                    new PrintWriter(out), new PrintWriter(out)), out.toString());
                final int leader = awaitLeader(nodes, Duration.ofSeconds(30));
                final int follower = (leader + 1) % 3;
                System.out.println("leader " + leader + ", follower " + follower + " killed after the snapshot");
                awaitSnapshotTaken(nodes[follower], Duration.ofSeconds(10));
                Thread.sleep(500);
                nodes[follower].kill();
                final long answeredAtKill = results.sequenceByClientSequence.size();
                Thread.sleep(1500);
                assertTrue(results.sequenceByClientSequence.size() > answeredAtKill, "the log grew without it");
                nodes[follower].start(0);
                awaitCaughtUp(nodes, follower, Duration.ofSeconds(60));
                final Properties restarted = awaitRestoredFromSnapshot(nodes[follower], Duration.ofSeconds(10));
                assertEquals(nodes[leader].state().getProperty("snapshotPosition"),
                    restarted.getProperty("snapshotPosition"), "the follower loaded the snapshot the leader took");
                Thread.sleep(500);
                feeder.finish(results);
            }
            System.out.println(results.sequenceByClientSequence.size() + " commands; follower kill trial took "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms from the first leader");
            assertConsistent(nodes, results);
        }
        finally
        {
            killAll(members, nodes);
        }
    }

    private void startMembers(final MembersSpec members, final NodeProcess[] nodes, final long snapshotLogBytes)
        throws IOException
    {
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = new NodeProcess(members, i, root.resolve("node" + i).toFile(),
                root.resolve("node" + i + ".log").toFile());
            nodes[i].start(snapshotLogBytes);
        }
    }

    private static void killAll(final MembersSpec members, final NodeProcess[] nodes) throws InterruptedException
    {
        for (final NodeProcess node : nodes)
        {
            if (node != null)
            {
                node.kill();
            }
        }
        for (int i = 0; i < nodes.length; i++)
        {
            IoUtil.delete(members.aeronDirectory(i), true);
        }
    }

    /**
     * With every command answered: all members at the same log position with equal hashes; then, from
     * each stopped member's log, nothing applied twice, every delivered result the applied command's,
     * and a single-node replay of the applied commands giving the same hash.
     */
    private void assertConsistent(final NodeProcess[] nodes, final ResultLog results) throws InterruptedException
    {
        final Properties[] settled = awaitSettledStates(nodes, Duration.ofSeconds(30));
        final long[] hashes = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            hashes[i] = Long.parseLong(settled[i].getProperty("stateHash"));
        }
        for (final NodeProcess node : nodes)
        {
            node.stop();
        }
        assertEquals(0, results.deliveredTwice.get(), "no result delivered twice");
        final LogCheck[] checks = new LogCheck[nodes.length];
        final StringBuilder table =
            new StringBuilder("member: live hash (at live last sequence) / log replay hash / single-node hash / last"
                + " sequence");
        for (int i = 0; i < nodes.length; i++)
        {
            checks[i] = LogCheck.of(root.resolve("node" + i).toFile(), CLIENT_ID);
            table.append("\n  ").append(i).append(": ").append(hashes[i]).append(" (at ")
                .append(settled[i].getProperty("lastSequence")).append(") / ").append(checks[i].clusterHash)
                .append(" / ").append(checks[i].singleNodeHash).append(" / ").append(checks[i].lastSequence);
        }
        for (int i = 0; i < nodes.length; i++)
        {
            final LogCheck check = checks[i];
            assertEquals(0, check.appliedTwice, "node " + i + ": nothing applied twice");
            assertEquals(results.sequenceByClientSequence, check.sequenceByClientSequence,
                "node " + i + ": every delivered result is in the final state");
            assertEquals(hashes[0], hashes[i], "node " + i + " state hash; " + table);
            assertEquals(hashes[0], check.clusterHash, "node " + i + " log replay hash; " + table);
            assertEquals(hashes[0], check.singleNodeHash, "node " + i + " single-node replay hash; " + table);
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

    /**
     * Waits until every member's state file shows the same log position, unchanged for
     * {@link #SETTLED_FOR}, and returns those states. Each member writes its file from its own
     * thread as it goes: once the feeder has its last result, the members can still show one and
     * the same earlier position for a moment (their files not yet rewritten), and a hash read then
     * was not the final state's.
     */
    private static Properties[] awaitSettledStates(final NodeProcess[] nodes, final Duration timeout)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String samePosition = null;
        long sameSinceNs = 0;
        while (System.nanoTime() < deadline)
        {
            final Properties[] states = new Properties[nodes.length];
            boolean same = true;
            for (int i = 0; i < nodes.length; i++)
            {
                states[i] = nodes[i].state();
                same &= states[i].getProperty("logPosition", "none " + i)
                    .equals(states[0].getProperty("logPosition", "none"));
            }
            final String position = same ? states[0].getProperty("logPosition") : null;
            if (position == null || !position.equals(samePosition))
            {
                samePosition = position;
                sameSinceNs = System.nanoTime();
            }
            else if (System.nanoTime() - sameSinceNs >= SETTLED_FOR.toNanos())
            {
                return states;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the members did not settle at one log position within " + timeout);
    }

    private static void awaitSnapshotTaken(final NodeProcess node, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (node.counters().snapshots() < 1)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("member " + node.memberId() + " took no snapshot within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the restarted member's state file to say its service started from a snapshot. */
    private static Properties awaitRestoredFromSnapshot(final NodeProcess node, final Duration timeout)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Properties state = node.state();
        while (!"true".equals(state.getProperty("restoredFromSnapshot")))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("member " + node.memberId() + " did not start from its snapshot: " + state);
            }
            Thread.sleep(20);
            state = node.state();
        }
        return state;
    }

    /**
     * Feeds the client from its own thread at about 2,000 commands/s (four commands, then a 2 ms
     * pause) until {@link #finish} or {@link #close}.
     */
    private static final class Feeder implements AutoCloseable
    {
        private final StockflowClusterClient client;
        private final AtomicBoolean feeding = new AtomicBoolean(true);
        private final AtomicInteger fed = new AtomicInteger();
        private final Thread thread;

        Feeder(final StockflowClusterClient client)
        {
            this.client = client;
            thread = new Thread(this::feed, "feeder");
            thread.start();
        }

        private void feed()
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
        }

        /** Stops feeding and checks that every command offered was answered, once. */
        void finish(final ResultLog results) throws InterruptedException
        {
            close();
            assertTrue(client.awaitSettled(Duration.ofSeconds(60)), "every command answered: "
                + client.statusReason());
            assertEquals(client.offered(), results.sequenceByClientSequence.size());
        }

        @Override
        public void close()
        {
            feeding.set(false);
            try
            {
                thread.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
