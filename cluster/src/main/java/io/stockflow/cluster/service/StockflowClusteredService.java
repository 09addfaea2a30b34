package io.stockflow.cluster.service;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.StateImage;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Hosts the unchanged rules state machine ({@link ReplicatedFulfillment}) as an Aeron Cluster
 * service: every member applies the same log entries with the same cluster time, so every member
 * computes the same sequences, outcomes and state hash as a single-node engine fed the same
 * commands in log order.
 *
 * <p>Time: the only clock is the entry's cluster time (the leader's clock at append, the same on
 * every member, in milliseconds: the node configures a {@code MillisecondClusterClock}). A command
 * without {@code ts} is applied with it; the clock-ahead bound compares {@code ts} with it; the rules
 * make the event time {@code max(ts, previous)} themselves. The service reads no other clock.
 *
 * <p>Results go back on the session's egress; only the leader really sends. The offer is bounded
 * ({@link #EGRESS_ATTEMPTS} tries): a slow or vanished client must not stop the log. A result lost
 * that way is answered again when the client resends (it is kept in the {@link ClientTable}).
 *
 * <p>Snapshots: {@link #onTakeSnapshot} writes {@link ClusterSnapshot}'s bytes (a length message,
 * then chunks of at most the publication's max payload); {@link #onStart} loads them, and refuses a
 * snapshot it cannot load with a {@link SnapshotRefusedException} (which stops the service container;
 * {@link #refusedSnapshot()} says why). When to take one is the node's decision (the cluster control
 * toggle), not the service's.
 *
 * <p>The rule parameters are state: a new cluster's log begins with the parameters record (a RULES
 * command carrying this member's configured parameters, {@link ReplicatedFulfillment}), which the
 * leader of a log in which nothing was applied yet sends as a service message. Every member and any
 * replay of the log (export included) thus applies the parameters of the log, never its own settings;
 * a member started with other parameters than the leader's simply follows the log. Clients idle for
 * longer than the log's current retention are forgotten.
 *
 * <p>Callbacks run on the service container's thread. {@link #lastSequence()},
 * {@link #stateHash()}, {@link #logPosition()} may be read from any thread (published per entry).
 */
public final class StockflowClusteredService implements ClusteredService
{
    /** Egress offers per result message before giving up on it. */
    public static final int EGRESS_ATTEMPTS = 3;
    private static final long SNAPSHOT_OFFER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final ReplicatedFulfillment state;
    private final long retentionMs;
    private final long orderCapacity;
    private final long skuCapacity;
    private final UnsafeBuffer parametersRecord = new UnsafeBuffer(new byte[256]);
    private boolean parametersRecordDue;
    private final ExpandableArrayBuffer resultsBuffer = new ExpandableArrayBuffer(64 * 1024);
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(64 * 1024);
    private final StateImage image = new StateImage();
    private Cluster cluster;
    private volatile long publishedLastSequence;
    private volatile long publishedStateHash;
    private volatile long publishedLogPosition;
    private volatile long publishedSnapshots;
    private volatile long publishedDroppedResults;
    private volatile boolean restoredFromSnapshot;
    private volatile String refusedSnapshot;
    private volatile long publishedSnapshotPosition;

    /**
     * @param state         the replicated state to host (fresh: the log or a snapshot fills it).
     * @param retentionMs   the retention a new cluster's log begins with (docs/DOMAIN.md "Rule parameters").
     * @param orderCapacity the order capacity it begins with.
     * @param skuCapacity   the SKU capacity it begins with.
     * @throws IllegalArgumentException if a parameter is out of range.
     */
    public StockflowClusteredService(final ReplicatedFulfillment state, final long retentionMs,
        final long orderCapacity, final long skuCapacity)
    {
        if (!RuleParameters.validRetention(retentionMs) || !RuleParameters.validOrderCapacity(orderCapacity)
            || !RuleParameters.validSkuCapacity(skuCapacity))
        {
            throw new IllegalArgumentException("retentionMs=" + retentionMs + " orderCapacity=" + orderCapacity
                + " skuCapacity=" + skuCapacity + " out of range: retentionMs " + RuleParameters.retentionValues()
                + ", orderCapacity " + RuleParameters.orderCapacityValues() + ", skuCapacity "
                + RuleParameters.skuCapacityValues());
        }
        this.state = state;
        this.retentionMs = retentionMs;
        this.orderCapacity = orderCapacity;
        this.skuCapacity = skuCapacity;
        publish(0);
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        if (snapshotImage != null)
        {
            loadSnapshot(snapshotImage);
            restoredFromSnapshot = true;
            publishedSnapshotPosition = cluster.logPosition();
        }
        publish(cluster.logPosition());
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        beginNewClusterLog();
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
    }

    @Override
    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        final int resultsLength;
        try
        {
            resultsBuffer.checkLimit(ReplicatedFulfillment.resultsCapacity(commandsBound(length)));
            resultsLength = state.onBatch(buffer, offset, length, timestamp, resultsBuffer);
        }
        catch (final IllegalArgumentException ex)
        {
            // A message that is not a well-framed BATCH: every member drops it at the same entry.
            publish(header.position());
            return;
        }
        publish(header.position());
        if (!state.begun())
        {
            // A client's command came before the parameters record: it waits (the client resends), and
            // the leader sends the record again in case its first offer never reached the log.
            parametersRecordDue = cluster.role() == Cluster.Role.LEADER;
            beginNewClusterLog();
        }
        if (resultsLength > 0 && session != null)
        {
            final IdleStrategy idle = cluster.idleStrategy();
            for (int attempt = 0; attempt < EGRESS_ATTEMPTS; attempt++)
            {
                if (session.offer(resultsBuffer, 0, resultsLength) > 0)
                {
                    return;
                }
                idle.idle();
            }
            publishedDroppedResults = publishedDroppedResults + 1;
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        final int length = ClusterSnapshot.encode(state, image, snapshotBuffer);
        final UnsafeBuffer lengthMessage = new UnsafeBuffer(new byte[Long.BYTES]);
        lengthMessage.putLong(0, length, IngressFormat.ORDER);
        offerSnapshot(snapshotPublication, lengthMessage, 0, Long.BYTES);
        final int chunk = snapshotPublication.maxPayloadLength();
        for (int at = 0; at < length; at += chunk)
        {
            offerSnapshot(snapshotPublication, snapshotBuffer, at, Math.min(chunk, length - at));
        }
        publishedSnapshots = publishedSnapshots + 1;
        publishedSnapshotPosition = cluster.logPosition();
    }

    /** Only notes whether the record is due: Aeron refuses {@code cluster.offer} inside this callback. */
    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        parametersRecordDue = newRole == Cluster.Role.LEADER && !state.begun();
    }

    @Override
    public void onNewLeadershipTermEvent(
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        if (leaderMemberId == cluster.memberId() && !state.begun())
        {
            parametersRecordDue = true;
        }
        beginNewClusterLog();
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
    }

    /**
     * Sends the parameters record while it is due: from the leader of a log in which nothing was
     * applied yet. Aeron accepts a service message only inside a log callback (not in
     * {@link #onRoleChange} nor in background work), so it is sent from the first log event the leader
     * sees after it took over: its own new leadership term, else a session opening or a client's
     * message (which waits for the record, {@link ReplicatedFulfillment}). Should the previous leader's
     * record be in the log already, unapplied here when this member took over, the second one is a
     * duplicate of client sequence 1 and changes nothing (and Aeron itself drops a service message it
     * finds already in the log).
     *
     * @return true if the record was offered now.
     */
    boolean beginNewClusterLog()
    {
        if (!parametersRecordDue || cluster == null)
        {
            return false;
        }
        if (state.begun())
        {
            parametersRecordDue = false;
            return false;
        }
        final int length =
            ReplicatedFulfillment.encodeParametersRecord(parametersRecord, retentionMs, orderCapacity, skuCapacity);
        if (cluster.offer(parametersRecord, 0, length) > 0)
        {
            parametersRecordDue = false;
            return true;
        }
        return false;
    }

    /** @return the hosted state, for the thread that owns it (tests stopping the node first). */
    public ReplicatedFulfillment state()
    {
        return state;
    }

    /** @return the last engine sequence applied, as of the last entry. */
    public long lastSequence()
    {
        return publishedLastSequence;
    }

    /** @return the rules' state hash, as of the last entry. */
    public long stateHash()
    {
        return publishedStateHash;
    }

    /** @return the log position after the last entry applied. */
    public long logPosition()
    {
        return publishedLogPosition;
    }

    /** @return snapshots this service wrote since it started. */
    public long snapshotsTaken()
    {
        return publishedSnapshots;
    }

    /**
     * @return the log position of the latest snapshot this member took or loaded (0: none); the same
     *         on every member, since every member snapshots at the same log entry.
     */
    public long snapshotPosition()
    {
        return publishedSnapshotPosition;
    }

    /** @return true if {@link #onStart} loaded a snapshot (then the log after it was replayed). */
    public boolean restoredFromSnapshot()
    {
        return restoredFromSnapshot;
    }

    /**
     * @return why {@link #onStart} refused the latest snapshot (another format or command schema
     *         version, or corrupt bytes), or null; after a refusal the service container has stopped.
     */
    public String refusedSnapshot()
    {
        return refusedSnapshot;
    }

    /** @return result messages given up on (egress back-pressure or a vanished client). */
    public long droppedResults()
    {
        return publishedDroppedResults;
    }

    private void publish(final long logPosition)
    {
        publishedLastSequence = state.view().lastSequence();
        publishedStateHash = state.view().stateHash();
        publishedLogPosition = logPosition;
    }

    private static int commandsBound(final int length)
    {
        return Math.max(0, (length - IngressFormat.BATCH_HEADER_LENGTH) / IngressFormat.ENTRY_HEADER_LENGTH);
    }

    private void offerSnapshot(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final IdleStrategy idle = cluster.idleStrategy();
        idle.reset();
        final long deadline = System.nanoTime() + SNAPSHOT_OFFER_TIMEOUT_NS;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED
                || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("cannot write the snapshot: offer returned " + result);
            }
            idle.idle();
        }
    }

    private void loadSnapshot(final Image image)
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64 * 1024);
        final long[] expected = {-1};
        final int[] received = {0};
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            if (expected[0] < 0)
            {
                expected[0] = buffer.getLong(offset, IngressFormat.ORDER);
            }
            else
            {
                bytes.putBytes(received[0], buffer, offset, length);
                received[0] += length;
            }
        };
        final IdleStrategy idle = cluster.idleStrategy();
        while (expected[0] < 0 || received[0] < expected[0])
        {
            final int fragments = image.poll(handler, 16);
            if (fragments == 0 && (image.isClosed() || image.isEndOfStream()))
            {
                throw new IllegalStateException("the cluster snapshot ended after " + received[0] + " of "
                    + expected[0] + " bytes");
            }
            idle.idle(fragments);
        }
        try
        {
            ClusterSnapshot.decode(bytes, received[0], state);
        }
        catch (final InvalidSnapshotException ex)
        {
            refusedSnapshot = ex.getMessage();
            throw new SnapshotRefusedException(ex.getMessage(), ex);
        }
    }
}
