package io.stockflow.cluster.cli;

import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.StockflowClusterNode;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
}
