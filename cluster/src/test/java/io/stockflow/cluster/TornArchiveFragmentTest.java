package io.stockflow.cluster;

import io.stockflow.cluster.cli.DemoWorkload;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeProcess;
import io.stockflow.cluster.node.StockflowClusterNode;
import io.stockflow.journal.testing.Slow;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member killed with {@code kill -9} in the middle of the archive's write of a fragment that straddles
 * a page boundary: the first page written, the second still zeros. Aeron's archive refuses to start on
 * such a recording ("potentially incomplete last fragment straddling page boundary", which CI once met
 * after a real kill). The node must remove the torn fragment, which it had never acknowledged, and come
 * back with the state it had, then go on serving.
 */
@Slow
class TornArchiveFragmentTest
{
    private static final long CLIENT_ID = 9;
    private static final int PAGE = 4096;
    private static final int FRAME_ALIGNMENT = 32;
    private static final int HEADER_LENGTH = 32;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aTornLastFragmentIsRemovedAndTheMemberRestartsWithItsState() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("1@127.0.0.1:24800");
        final Path log = root.resolve("node0.log");
        final NodeProcess node = new NodeProcess(members, 0, root.resolve("node0").toFile(), log.toFile());
        try
        {
            node.start(0);
            LeaderKillTrialsTest.awaitLeader(new NodeProcess[] {node}, Duration.ofSeconds(60));
            feed(members, 0, 200);
            final Properties before = awaitState(node, state -> "200".equals(state.getProperty("lastSequence")), log);
            node.kill();

            final File segment = lastSegmentOfTheLog(root.resolve("node0").resolve("archive").toFile());
            final long lengthBefore = segment.length();
            final int tornAt = appendTornFragment(segment);

            // The dead node's state file and counters would answer the waits below before the new one starts.
            Files.delete(root.resolve("node0").resolve(StockflowClusterNode.STATE_FILE));
            IoUtil.delete(members.aeronDirectory(0), true);
            node.start(0);
            // The restarted member writes its state file before it has replayed; wait for the replayed state.
            final Properties after = awaitState(node,
                state -> before.getProperty("lastSequence").equals(state.getProperty("lastSequence")), log);
            assertEquals(before.getProperty("lastSequence"), after.getProperty("lastSequence"), after::toString);
            assertEquals(before.getProperty("stateHash"), after.getProperty("stateHash"), after::toString);
            final String output = Files.readString(log);
            assertTrue(output.contains("removed the last fragment of " + segment.getName()), output);
            assertEquals(lengthBefore, segment.length(), "the segment file keeps its length");

            feed(members, 200, 100);
            awaitState(node, state -> "300".equals(state.getProperty("lastSequence")), log);
            assertTrue(firstFrameLengthAt(segment, tornAt) != tornLength(tornAt),
                "the torn fragment's header is gone; the log goes on from where it was");
        }
        finally
        {
            node.kill();
            IoUtil.delete(members.aeronDirectory(0), true);
        }
    }

    private static void feed(final MembersSpec members, final int from, final int count) throws Exception
    {
        final ResultLog results = new ResultLog();
        try (StockflowClusterClient client =
            new StockflowClusterClient(members, CLIENT_ID + from, results, 1 << 20, Duration.ofSeconds(3)))
        {
            for (int i = from; i < from + count; i++)
            {
                assertTrue(DemoWorkload.offer(client, i), client::statusReason);
            }
            assertTrue(client.awaitSettled(Duration.ofSeconds(30)), client::statusReason);
            assertEquals(count, results.sequenceByClientSequence.size());
        }
    }

    private static Properties awaitState(final NodeProcess node, final Predicate<Properties> done, final Path log)
        throws InterruptedException, IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Properties state = node.state();
        while (!done.test(state))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("the node's state did not arrive: " + state + "; its output:\n"
                    + Files.readString(log));
            }
            Thread.sleep(20);
            state = node.state();
        }
        return state;
    }

    /* The log is the only recording of a fresh one-member cluster with snapshots off: recording 0. */
    private static File lastSegmentOfTheLog(final File archive)
    {
        final File[] segments = archive.listFiles((dir, name) -> name.endsWith(".rec"));
        assertTrue(segments != null && segments.length > 0, () -> "segment files in " + archive);
        assertTrue(Arrays.stream(segments).allMatch(file -> file.getName().startsWith("0-")),
            () -> "only the log is recorded: " + Arrays.toString(segments));
        return Arrays.stream(segments)
            .max((a, b) -> Long.compare(basePosition(a), basePosition(b))).orElseThrow();
    }

    private static long basePosition(final File segment)
    {
        final String name = segment.getName();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }

    /*
     * After the last complete fragment: a data frame header and the part of the frame up to the next page
     * boundary, the rest of the frame (64 bytes into the next page) left zero, as a write cut at the page
     * boundary leaves it. Its session id field holds no checksum of it.
     */
    private static int appendTornFragment(final File segment) throws IOException
    {
        try (FileChannel channel = FileChannel.open(segment.toPath(), StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            int end = 0;
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (true)
            {
                header.clear();
                channel.read(header, end);
                final int frameLength = header.getInt(0);
                if (frameLength <= 0)
                {
                    break;
                }
                end += (frameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
            }
            final int length = tornLength(end);
            final int written = PAGE - end % PAGE;
            final ByteBuffer frame = ByteBuffer.allocate(written).order(ByteOrder.LITTLE_ENDIAN);
            frame.putInt(0, length).put(4, (byte)0).put(5, (byte)0xC0).putShort(6, (short)1).putInt(8, end)
                .putInt(12, 0x5EED).putInt(16, 100).putInt(20, 0);
            for (int i = HEADER_LENGTH; i < written; i++)
            {
                frame.put(i, (byte)0x5A);
            }
            channel.write(frame, end);
            return end;
        }
    }

    /* A frame from offset at to 64 bytes past the next page boundary (a whole page on, if at is on one). */
    private static int tornLength(final int at)
    {
        final int toBoundary = PAGE - at % PAGE;
        return Math.max(toBoundary, HEADER_LENGTH) + 64;
    }

    private static int firstFrameLengthAt(final File segment, final int offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(segment.toPath(), StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, offset);
            return header.getInt(0);
        }
    }
}
