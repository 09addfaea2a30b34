package io.stockflow.cluster.cli;

import io.aeron.cluster.RecordingLog;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.cluster.node.StockflowClusterNode;
import io.stockflow.cluster.service.ClusterSnapshot;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator mistakes: one sentence on stderr and the exit status used elsewhere. */
@Slow
class ClusterCommandBadInputTest
{
    @TempDir
    Path root;

    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return ClusterCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void aMalformedMembersSpecIsAUsageError()
    {
        assertEquals(64, run("status", "--members", "three@127.0.0.1:21000"));
        assertTrue(err.toString().contains("member count 'three', not a number"), err.toString());
        assertEquals(64, run("node", "--id", "0", "--members", "3@127.0.0.1", "--dir", root.toString()));
        assertTrue(err.toString().contains("expected COUNT@HOST:BASEPORT"), err.toString());
        assertEquals(64, run("status", "--members", "3@127.0.0.1:65530"));
        assertEquals(64, run("node", "--id", "3", "--members", "3@127.0.0.1:21000", "--dir", root.toString()));
        assertTrue(err.toString().contains("node id 3 is not a member of 3@127.0.0.1:21000"), err.toString());
        assertThrows(IllegalArgumentException.class, () -> MembersSpec.parse("0@127.0.0.1:21000"));
        assertEquals("0,127.0.0.1:21000,127.0.0.1:21001,127.0.0.1:21002,127.0.0.1:21003,127.0.0.1:21004",
            MembersSpec.parse("1@127.0.0.1:21000").aeronMembers());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception
    {
        final DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 24622));
        try
        {
            assertEquals(75, run("node", "--id", "0", "--members", "3@127.0.0.1:24620", "--dir",
                root.resolve("n0").toString()));
        }
        finally
        {
            taken.close();
        }
        assertTrue(err.toString().contains("UDP port 24622 (log of member 0) on 127.0.0.1 is in use"), err.toString());
    }

    @Test
    void aDirectoryOfSomethingElseOrOfAnotherClusterIsRefused() throws Exception
    {
        Files.writeString(root.resolve("notes.txt"), "mine");
        assertEquals(66, run("node", "--id", "0", "--members", "3@127.0.0.1:24640", "--dir", root.toString()));
        assertTrue(err.toString().contains("is not a Stockflow cluster node directory"), err.toString());
        final Path other = Files.createDirectory(root.resolve("other"));
        Files.writeString(other.resolve(StockflowClusterNode.MARKER), "members=3@127.0.0.1:21000\nmember=1\n");
        assertEquals(66, run("node", "--id", "0", "--members", "3@127.0.0.1:24640", "--dir", other.toString()));
        assertTrue(err.toString().contains("belongs to member 1 of the cluster 3@127.0.0.1:21000, not to member 0"),
            err.toString());
        assertEquals(66, run("export", "--dir", root.toString(), "--into", root.resolve("engine").toString()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runWithoutAnyMemberReportsNoQuorum() throws Exception
    {
        final Path input = root.resolve("in.jsonl");
        Files.writeString(input, "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":5}\n");
        assertEquals(75, run("run", "--members", "3@127.0.0.1:24660", "--input", input.toString(), "--timeout-s", "3"));
        assertTrue(err.toString().contains("no quorum"), err.toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSnapshotOfAnotherCommandSchemaVersionIsBadData() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("1@127.0.0.1:24680");
        final Path dir = root.resolve("n0");
        try (StockflowClusterNode node =
            StockflowClusterNode.launch(NodeSettings.defaults(0, members, dir.toFile()), Throwable::printStackTrace))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!node.isLeader() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            try (StockflowClusterClient client = new StockflowClusterClient(members, 3,
                (clientSequence, tag, type, sequence, outcome) ->
                {}, 1 << 16, Duration.ofSeconds(3)))
            {
                for (int i = 0; i < 100; i++)
                {
                    DemoWorkload.offer(client, i);
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)), client.statusReason());
            }
            assertEquals(0, run("snapshot", "--members", members.toString()), err.toString());
        }
        final int schema = CommandCodec.SCHEMA_VERSION;
        rewriteSnapshotSchemaVersion(dir, schema + 1);

        final long started = System.nanoTime();
        assertEquals(65, run("node", "--id", "0", "--members", members.toString(), "--dir", dir.toString()));
        final String expected = "stockflow cluster node: cannot start on " + dir + ": its latest cluster snapshot was "
            + "refused: the cluster snapshot has format version " + ClusterSnapshot.FORMAT_VERSION
            + " and command schema version " + (schema + 1) + "; this build reads formats "
            + ClusterSnapshot.FIXED_ORDERS_FORMAT_VERSION + " and " + ClusterSnapshot.FORMAT_VERSION + " and schema "
            + schema;
        assertEquals(List.of(expected), err.toString().lines().toList());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "refused within 30 s");
    }

    /**
     * Overwrites the command schema version in the header of the node's latest service snapshot, in
     * its archive segment files (the recording holds the bytes {@link ClusterSnapshot#encode} wrote,
     * the header unfragmented at the start of a frame's payload).
     */
    private static void rewriteSnapshotSchemaVersion(final Path nodeDirectory, final int version) throws IOException
    {
        final long recordingId;
        try (RecordingLog log = new RecordingLog(nodeDirectory.resolve("cluster").toFile(), false))
        {
            final RecordingLog.Entry snapshot = log.getLatestSnapshot(0);
            assertTrue(snapshot != null, "the node has a service snapshot");
            recordingId = snapshot.recordingId;
        }
        int rewritten = 0;
        try (Stream<Path> files = Files.list(nodeDirectory.resolve("archive")))
        {
            for (final Path segment : files.filter(f -> f.getFileName().toString().startsWith(recordingId + "-")
                && f.getFileName().toString().endsWith(".rec")).toList())
            {
                final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
                for (int at = 0; at + 12 <= bytes.limit(); at += 4)
                {
                    if (bytes.getInt(at) == ClusterSnapshot.MAGIC
                        && bytes.getInt(at + 4) == ClusterSnapshot.FORMAT_VERSION
                        && bytes.getInt(at + 8) == CommandCodec.SCHEMA_VERSION)
                    {
                        bytes.putInt(at + 8, version);
                        rewritten++;
                    }
                }
                Files.write(segment, bytes.array());
            }
        }
        assertEquals(1, rewritten, "snapshot headers found in recording " + recordingId);
    }
}
