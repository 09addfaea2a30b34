package io.stockflow.cluster.node;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.codecs.MessageHeaderDecoder;
import io.aeron.cluster.codecs.SessionMessageHeaderDecoder;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.stockflow.cli.ExitCodes;
import io.stockflow.cluster.service.ReplicatedFulfillment;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stopped node's log back from its archive (the recording the consensus module keeps of the
 * Raft log) and feeds every client message, in log order with its cluster time, to a fresh
 * {@link ReplicatedFulfillment}: the same code the service runs, so the listener sees exactly the
 * commands the service applied, with the {@code ts} the rules got, and the result's state hash is the
 * node's. The log is read from position 0 to the end of the recording (what this node appended; on a
 * cluster stopped after its commands were acknowledged that is the committed log).
 *
 * <p>It starts its own media driver and an archive on the node's {@code archive/} (no network
 * control channel), so the node must be stopped; stale mark files of a killed node are removed.
 */
public final class NodeLogReader
{
    private static final int REPLAY_STREAM_ID = 9_001;
    private static final long READ_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(5);

    private NodeLogReader()
    {
    }

    /**
     * @param nodeDirectory the node's directory.
     * @param state         fresh state to feed (its listener sees each applied command).
     * @return the number of client messages read.
     * @throws NodeStartException if the directory is not a stopped node's.
     */
    public static long read(final File nodeDirectory, final ReplicatedFulfillment state)
    {
        if (!new File(nodeDirectory, StockflowClusterNode.MARKER).isFile())
        {
            throw new NodeStartException(ExitCodes.NO_INPUT, nodeDirectory + " is not a Stockflow cluster node "
                + "directory (no " + StockflowClusterNode.MARKER + ")");
        }
        final File pidFile = new File(nodeDirectory, StockflowClusterNode.PID_FILE);
        if (pidFile.isFile())
        {
            try
            {
                final long pid = Long.parseLong(java.nio.file.Files.readString(pidFile.toPath()).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                {
                    throw new NodeStartException(ExitCodes.TEMP_FAIL, nodeDirectory + " is in use by the running "
                        + "node process " + pid + "; stop it first");
                }
            }
            catch (final java.io.IOException | NumberFormatException ignored)
            {
                // No readable pid: nothing runs there.
            }
        }
        new File(nodeDirectory, "archive/archive-mark.dat").delete();
        final long recordingId;
        try (RecordingLog recordingLog = new RecordingLog(new File(nodeDirectory, "cluster"), false))
        {
            recordingId = recordingLog.findLastTermRecordingId();
        }
        if (recordingId < 0)
        {
            return 0;
        }
        final String aeronDir = CommonContext.getAeronDirectoryName() + "-stockflow-export-"
            + ProcessHandle.current().pid();
        MediaDriver driver = null;
        Archive archive = null;
        AeronArchive client = null;
        try
        {
            driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED).termBufferSparseFile(true).ipcTermBufferLength(1024 * 1024)
                .counterValuesBufferLength(1024 * 1024).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            archive = Archive.launch(new Archive.Context().aeronDirectoryName(aeronDir)
                .archiveDir(new File(nodeDirectory, "archive")).controlChannelEnabled(false)
                .archiveClientContext(
                    new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=127.0.0.1:0"))
                .localControlChannel("aeron:ipc?term-length=64k").replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
                .recordingEventsEnabled(false).threadingMode(ArchiveThreadingMode.SHARED).archiveId(-7));
            client =
                AeronArchive.connect(new AeronArchive.Context().aeronDirectoryName(aeronDir).lock(NoOpLock.INSTANCE)
                    .controlRequestChannel("aeron:ipc?term-length=64k")
                    .controlResponseChannel("aeron:ipc?term-length=64k"));
            return replay(client, recordingId, state);
        }
        finally
        {
            CloseHelper.closeAll(client, archive, driver);
        }
    }

    private static long replay(final AeronArchive client, final long recordingId, final ReplicatedFulfillment state)
    {
        final long start = client.getStartPosition(recordingId);
        final long stop = client.getStopPosition(recordingId);
        if (start != 0)
        {
            throw new NodeStartException(ExitCodes.DATA_ERROR, "the node's log recording starts at position " + start
                + ", not 0 (seeded from a snapshot): its early commands are not in it");
        }
        if (stop <= start)
        {
            return 0;
        }
        final Aeron aeron = client.context().aeron();
        final long sessionId = client.startReplay(recordingId, start, stop - start, "aeron:ipc", REPLAY_STREAM_ID);
        final String channel = ChannelUri.addSessionId("aeron:ipc", (int)sessionId);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SessionMessageHeaderDecoder session = new SessionMessageHeaderDecoder();
        final ExpandableArrayBuffer results = new ExpandableArrayBuffer(64 * 1024);
        final long[] messages = {0};
        final FragmentHandler handler = (buffer, offset, length, fragmentHeader) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() != SessionMessageHeaderDecoder.TEMPLATE_ID)
            {
                return;
            }
            session.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            final int payload = offset + AeronCluster.SESSION_HEADER_LENGTH;
            final int payloadLength = length - AeronCluster.SESSION_HEADER_LENGTH;
            results.checkLimit(ReplicatedFulfillment.resultsCapacity(payloadLength / 12 + 1));
            messages[0]++;
            try
            {
                state.onBatch(buffer, payload, payloadLength, session.timestamp(), results);
            }
            catch (final IllegalArgumentException ex)
            {
                // The service dropped the same malformed message.
            }
        };
        final FragmentAssembler assembler = new FragmentAssembler(handler);
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long deadline = System.nanoTime() + READ_TIMEOUT_NS;
        try (Subscription subscription = aeron.addSubscription(channel, REPLAY_STREAM_ID))
        {
            while (subscription.imageCount() == 0)
            {
                checkDeadline(deadline);
                idle.idle();
            }
            final io.aeron.Image image = subscription.imageAtIndex(0);
            while (image.position() < stop)
            {
                final int fragments = image.poll(assembler, 64);
                if (fragments == 0 && image.isClosed() && image.position() < stop)
                {
                    throw new IllegalStateException("the log replay ended at " + image.position() + " of " + stop);
                }
                checkDeadline(deadline);
                idle.idle(fragments);
            }
        }
        return messages[0];
    }

    private static void checkDeadline(final long deadline)
    {
        if (System.nanoTime() > deadline)
        {
            throw new IllegalStateException("reading the node's log took longer than 5 minutes");
        }
    }
}
