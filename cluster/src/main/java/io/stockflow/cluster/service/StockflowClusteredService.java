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
 * then chunks of at most the publication's max payload); {@link #onStart} loads them. When to take
 * one is the node's decision (the cluster control toggle), not the service's.
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
    private volatile long publishedSnapshotPosition;

    /**
     * @param state the replicated state to host (fresh: the log or a snapshot fills it).
     */
    public StockflowClusteredService(final ReplicatedFulfillment state)
    {
        this.state = state;
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

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        if (newRole == Cluster.Role.LEADER && state.view().events() == 0 && state.view().lastSequence() == 0)
        {
            beginNewClusterLog();
        }
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
    }

    /**
     * The seam where a new cluster's log begins: issue 21 wants its first entry to be a RULES command
     * carrying the rule parameters from the cluster's configuration (the parameters are state, so
     * they must be in the log and in every snapshot, not in each node's settings). Called when this
     * member becomes leader of a log in which nothing was applied yet. The leader would append the
     * command with {@code cluster.offer} (a service message: it reaches {@link #onSessionMessage}
     * with no session on every member). The rules on this branch have no RULES command and no
     * parameters (they arrive with the bounded-state work), so there is nothing to append yet.
     */
    void beginNewClusterLog()
    {
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
            throw new IllegalStateException(ex.getMessage(), ex);
        }
    }
}
