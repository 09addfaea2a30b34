package io.stockflow.cluster.client;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.service.IngressFormat;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedding API of the clustered mode, like the engine: callers offer typed commands through
 * {@link #publisher()} (as through {@code CommandPublisher}), the results come to a
 * {@link ClusterResultListener}, each exactly once.
 *
 * <p>Threads: any number of caller threads offer into an Agrona {@link ManyToOneRingBuffer}; one
 * drain thread, the only one that touches the {@link AeronCluster} (which is not thread-safe), takes
 * commands from it, numbers them with client sequences, batches them into ingress messages
 * ({@link IngressFormat} BATCH) and delivers the results. The ring buffer rather than a
 * multi-producer Disruptor because commands have variable lengths (an order command is 10 bytes, a
 * PLACE up to 246): the ring buffer takes variable-length records with a claim and commit and no
 * slot sized for the longest, and Aeron brings it anyway (no dependency to add).
 *
 * <p>Failover: a positive {@code offer} result does not mean the command reached the log (measured:
 * hundreds of offers to a dead leader "succeeded"). So every command is kept until its result
 * arrives; on a new leader, on a new session, and after {@link #RESEND_AFTER_MS} without results,
 * every unanswered command is sent again, and the service answers a duplicate with its kept result.
 * The listener is told only of the first answer to each client sequence.
 *
 * <p>Without a leader ({@link ClientStatus#NO_QUORUM}, with {@link #statusReason()}), the commands
 * sent and not answered are {@link #inDoubt()}: neither lost nor done; they settle once a quorum is
 * back. The client id must be unique to this client instance: its client sequences restart at 1.
 */
public final class StockflowClusterClient implements AutoCloseable
{
    /** Unanswered commands after which nothing more is sent until results come back. */
    public static final int WINDOW = PendingWindow.CAPACITY;
    /** Without any result for this long, every unanswered command is sent again. */
    public static final long RESEND_AFTER_MS = 1000;
    private static final int MAX_BATCH = 64;
    private static final int NO_QUORUM_AFTER_RESENDS = 2;
    private static final long KEEP_ALIVE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long REPORT_RECEIVED_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final AtomicInteger DRIVER_COUNT = new AtomicInteger();

    private final MembersSpec members;
    private final long clientId;
    private final ClusterResultListener listener;
    private final ClusterPublisher publisher;
    private final ManyToOneRingBuffer queue;
    private final MediaDriver driver;
    private final Thread drainThread;
    private final long connectTimeoutNs;
    private volatile boolean running = true;
    private volatile ClientStatus status = ClientStatus.CONNECTING;
    private volatile String statusReason = "connecting";
    private volatile long deliveredCount;
    private volatile long inDoubtCount;
    private volatile int leaderMemberId = -1;

    // Drain thread only from here.
    private final PendingWindow window = new PendingWindow();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[64 * 1024]);
    private AeronCluster cluster;
    private long nextToSend = 1;
    private long reportedThrough;
    private long lastProgressNs;
    private long lastOfferNs;
    private int resendsWithoutProgress;
    private long highestSent;

    /**
     * Starts the client: its own small media driver and the drain thread, which connects.
     *
     * @param members        the cluster.
     * @param clientId       unique to this client instance (deduplication key in the cluster), &gt;= 0
     *                       (negative ids are the service's own).
     * @param listener       told of each result on the drain thread.
     * @param queueBytes     the ring buffer's capacity (a power of two, at least 64 KiB).
     * @param connectTimeout how long one connect attempt waits for a leader.
     */
    public StockflowClusterClient(
        final MembersSpec members,
        final long clientId,
        final ClusterResultListener listener,
        final int queueBytes,
        final java.time.Duration connectTimeout)
    {
        if (clientId < 0)
        {
            throw new IllegalArgumentException("clientId=" + clientId + " must be >= 0 (negative ids are reserved)");
        }
        this.members = members;
        this.clientId = clientId;
        this.listener = listener;
        this.connectTimeoutNs = connectTimeout.toNanos();
        publisher = new ClusterPublisher(queueBytes);
        queue = publisher.ring();
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName("/dev/shm/aeron-stockflow-client-" + ProcessHandle.current().pid() + "-"
                + DRIVER_COUNT.incrementAndGet())
            .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(true).publicationTermBufferLength(256 * 1024).ipcTermBufferLength(64 * 1024)
            .counterValuesBufferLength(1024 * 1024).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        drainThread = new Thread(this::drainLoop, "stockflow-cluster-client-" + clientId);
        drainThread.setDaemon(true);
        drainThread.start();
    }

    /** @return the publisher the caller threads offer commands through. */
    public ClusterPublisher publisher()
    {
        return publisher;
    }

    /** @return the client id. */
    public long clientId()
    {
        return clientId;
    }

    /** @return the status now. */
    public ClientStatus status()
    {
        return status;
    }

    /** @return why the status is what it is, in a sentence (for NO_QUORUM: which members were tried). */
    public String statusReason()
    {
        return statusReason;
    }

    /** @return commands sent to the cluster and not answered yet: in doubt while there is no leader. */
    public long inDoubt()
    {
        return inDoubtCount;
    }

    /** @return results delivered to the listener. */
    public long delivered()
    {
        return deliveredCount;
    }

    /** @return commands offered successfully. */
    public long offered()
    {
        return publisher.offered();
    }

    /** @return the leader's member id, or -1 while none is known. */
    public int leaderMemberId()
    {
        return leaderMemberId;
    }

    /**
     * Waits until every command offered so far has its result.
     *
     * @param timeout how long at most.
     * @return true if settled, false on timeout or close.
     * @throws InterruptedException if interrupted.
     */
    public boolean awaitSettled(final java.time.Duration timeout) throws InterruptedException
    {
        final long target = publisher.offered();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (deliveredCount < target)
        {
            if (!running || System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    @Override
    public void close()
    {
        running = false;
        publisher.close();
        try
        {
            drainThread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietClose(driver);
        status = ClientStatus.CLOSED;
        statusReason = "closed";
    }

    private void drainLoop()
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        final Egress egress = new Egress();
        try
        {
            while (running)
            {
                if (cluster == null || cluster.isClosed())
                {
                    connect(egress);
                    continue;
                }
                int work = cluster.pollEgress();
                work += queue.read(window, window.room());
                work += send();
                housekeeping();
                idle.idle(work);
            }
        }
        finally
        {
            CloseHelper.quietClose(cluster);
        }
    }

    private void connect(final Egress egress)
    {
        CloseHelper.quietClose(cluster);
        cluster = null;
        try
        {
            cluster = AeronCluster.connect(new AeronCluster.Context().aeronDirectoryName(driver.aeronDirectoryName())
                .ingressChannel("aeron:udp?term-length=256k").ingressEndpoints(members.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=" + members.host() + ":0|term-length=256k")
                .messageTimeoutNs(connectTimeoutNs).egressListener(egress).errorHandler(this::onClientError));
            leaderMemberId = cluster.leaderMemberId();
            status = ClientStatus.CONNECTED;
            statusReason = "connected to leader " + leaderMemberId;
            nextToSend = window.receivedThrough() + 1;
            lastProgressNs = System.nanoTime();
        }
        catch (final RuntimeException ex)
        {
            noQuorum("no leader: no quorum of the " + members.count() + " members of " + members
                + " answered within " + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs) + " ms (" + ex.getMessage()
                + ")");
            queue.read(window, window.room());
        }
    }

    private void onClientError(final Throwable error)
    {
        final String text = String.valueOf(error.getMessage());
        if (text.contains("heartbeat timeout") || text.contains("new leader"))
        {
            noQuorum("no leader: the leader stopped answering (" + text + "); waiting for an election");
        }
    }

    private void noQuorum(final String reason)
    {
        leaderMemberId = -1;
        status = ClientStatus.NO_QUORUM;
        statusReason = reason;
        inDoubtCount = Math.max(0, highestSent - window.receivedThrough());
    }

    private int send()
    {
        if (nextToSend >= window.nextClientSequence())
        {
            if (window.receivedThrough() > reportedThrough && System.nanoTime() - lastOfferNs > REPORT_RECEIVED_NS)
            {
                return offerBatch(0) ? 1 : 0;
            }
            return 0;
        }
        final int budget = cluster.ingressPublication().maxPayloadLength() - AeronCluster.SESSION_HEADER_LENGTH;
        final int count = window.encodeEntries(sendBuffer, IngressFormat.BATCH_HEADER_LENGTH, nextToSend, MAX_BATCH,
            budget);
        if (offerBatch(count, window.encodedLength()))
        {
            nextToSend += count;
            return 1;
        }
        return 0;
    }

    private boolean offerBatch(final int count)
    {
        return offerBatch(count, IngressFormat.BATCH_HEADER_LENGTH);
    }

    private boolean offerBatch(final int count, final int length)
    {
        sendBuffer.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_BATCH, IngressFormat.ORDER);
        sendBuffer.putInt(IngressFormat.COUNT_OFFSET, count, IngressFormat.ORDER);
        sendBuffer.putLong(IngressFormat.CLIENT_ID_OFFSET, clientId, IngressFormat.ORDER);
        sendBuffer.putLong(IngressFormat.FIRST_SEQUENCE_OFFSET, nextToSend, IngressFormat.ORDER);
        sendBuffer.putLong(IngressFormat.RECEIVED_THROUGH_OFFSET, window.receivedThrough(), IngressFormat.ORDER);
        if (cluster.offer(sendBuffer, 0, length) > 0)
        {
            highestSent = Math.max(highestSent, nextToSend + count - 1);
            lastOfferNs = System.nanoTime();
            reportedThrough = window.receivedThrough();
            return true;
        }
        return false;
    }

    private void housekeeping()
    {
        final long now = System.nanoTime();
        final long unanswered = nextToSend - 1 - window.receivedThrough();
        if (unanswered > 0 && now - lastProgressNs > TimeUnit.MILLISECONDS.toNanos(RESEND_AFTER_MS))
        {
            nextToSend = window.receivedThrough() + 1;
            lastProgressNs = now;
            if (++resendsWithoutProgress >= NO_QUORUM_AFTER_RESENDS && status == ClientStatus.CONNECTED)
            {
                noQuorum("no quorum: leader " + leaderMemberId + " answered none of " + unanswered
                    + " command(s) for " + resendsWithoutProgress * RESEND_AFTER_MS + " ms (it cannot commit without"
                    + " a majority of the " + members.count() + " members)");
            }
        }
        if (now - lastOfferNs > KEEP_ALIVE_NS && cluster.sendKeepAlive())
        {
            lastOfferNs = now;
        }
        if (status == ClientStatus.NO_QUORUM)
        {
            inDoubtCount = Math.max(0, highestSent - window.receivedThrough());
        }
        else
        {
            inDoubtCount = 0;
        }
    }

    private void onResults(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < IngressFormat.RESULTS_HEADER_LENGTH
            || buffer.getInt(offset + IngressFormat.TYPE_OFFSET, IngressFormat.ORDER) != IngressFormat.TYPE_RESULTS
            || buffer.getLong(offset + IngressFormat.CLIENT_ID_OFFSET, IngressFormat.ORDER) != clientId)
        {
            return;
        }
        final int count = buffer.getInt(offset + IngressFormat.COUNT_OFFSET, IngressFormat.ORDER);
        for (int i = 0; i < count; i++)
        {
            final int at = offset + IngressFormat.RESULTS_HEADER_LENGTH + i * IngressFormat.RESULT_LENGTH;
            final long clientSequence = buffer.getLong(at, IngressFormat.ORDER);
            if (window.answer(clientSequence))
            {
                listener.onResult(clientSequence, window.tag(clientSequence), window.type(clientSequence),
                    buffer.getLong(at + IngressFormat.RESULT_SEQUENCE_OFFSET, IngressFormat.ORDER),
                    buffer.getInt(at + IngressFormat.RESULT_OUTCOME_OFFSET, IngressFormat.ORDER));
                deliveredCount = deliveredCount + 1;
            }
        }
        window.advance();
        if (nextToSend <= window.receivedThrough())
        {
            nextToSend = window.receivedThrough() + 1;
        }
        lastProgressNs = System.nanoTime();
        resendsWithoutProgress = 0;
        if (status != ClientStatus.CONNECTED)
        {
            status = ClientStatus.CONNECTED;
            statusReason = "connected to leader " + leaderMemberId;
        }
    }

    /** The egress callbacks, on the drain thread. */
    private final class Egress implements EgressListener
    {
        @Override
        public void onMessage(
            final long clusterSessionId,
            final long timestamp,
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final Header header)
        {
            onResults(buffer, offset, length);
        }

        @Override
        public void onNewLeader(
            final long clusterSessionId,
            final long leadershipTermId,
            final int leaderMemberId,
            final String ingressEndpoints)
        {
            StockflowClusterClient.this.leaderMemberId = leaderMemberId;
            status = ClientStatus.CONNECTED;
            statusReason = "connected to leader " + leaderMemberId + " (term " + leadershipTermId + ")";
            nextToSend = window.receivedThrough() + 1;
            lastProgressNs = System.nanoTime();
        }
    }
}
