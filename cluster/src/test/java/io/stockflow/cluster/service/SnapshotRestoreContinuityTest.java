package io.stockflow.cluster.service;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.snapshot.StateImage;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member restored from a cluster snapshot, then fed the rest of the log, must end in the state of a
 * member that applied the whole log: what {@code LeaderKillTrialsTest}'s follower trial checks with
 * real processes, here at many snapshot points of the cluster demo's command mix (restocks, places
 * with and without their own {@code ts}, ships, cancels, deliveries), compared entry by entry.
 */
class SnapshotRestoreContinuityTest
{
    private static final long CLIENT = 5;
    private static final int COMMANDS = 30_000;
    private static final int SKUS = 20;

    private final UnsafeBuffer batch = new UnsafeBuffer(new byte[64 * 1024]);
    private final ExpandableArrayBuffer results = new ExpandableArrayBuffer(64 * 1024);
    private final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];

    @Test
    void aMemberRestoredAtAnyEntryEndsWithTheStateOfOneThatAppliedTheWholeLog() throws Exception
    {
        final ReplicatedFulfillment whole = new ReplicatedFulfillment(0);
        ReplicatedFulfillment restored = new ReplicatedFulfillment(0);
        final long start = 1_780_000_000_000L;
        feedParameters(whole, start);
        feedParameters(restored, start);
        final SplittableRandom random = new SplittableRandom(7);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1 << 20);
        final StateImage image = new StateImage();
        long clusterTime = start;
        int snapshots = 0;
        for (int next = 0, entry = 0; next < COMMANDS; entry++)
        {
            final int count = Math.min(1 + random.nextInt(8), COMMANDS - next);
            final int length = encodeBatch(next, count);
            clusterTime += random.nextInt(3);
            whole.onBatch(batch, 0, length, clusterTime, results);
            restored.onBatch(batch, 0, length, clusterTime, results);
            next += count;
            if (entry % 31 == 0)
            {
                final int snapshotLength = ClusterSnapshot.encode(restored, image, snapshot);
                restored = new ReplicatedFulfillment(0);
                ClusterSnapshot.decode(snapshot, snapshotLength, restored);
                snapshots++;
            }
            assertEquals(whole.view().stateHash(), restored.view().stateHash(),
                "state hash after entry " + entry + " (command " + next + "), " + snapshots + " restores");
        }
        assertEquals(whole.view().lastSequence(), restored.view().lastSequence());
        assertEquals(COMMANDS, whole.view().lastSequence(), "every command applied");
        assertTrue(snapshots > 100, snapshots + " restores");
    }

    private void feedParameters(final ReplicatedFulfillment state, final long clusterTime)
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[256]);
        final int length = ReplicatedFulfillment.encodeParametersRecord(record, RuleParameters.DEFAULT_RETENTION_MS,
            RuleParameters.DEFAULT_ORDER_CAPACITY, RuleParameters.DEFAULT_SKU_CAPACITY);
        state.onBatch(record, 0, length, clusterTime, results);
    }

    /** The cluster demo's commands {@code first} to {@code first + count - 1} (its DemoWorkload's mix). */
    private int encodeBatch(final int first, final int count)
    {
        batch.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_BATCH, IngressFormat.ORDER);
        batch.putInt(IngressFormat.COUNT_OFFSET, count, IngressFormat.ORDER);
        batch.putLong(IngressFormat.CLIENT_ID_OFFSET, CLIENT, IngressFormat.ORDER);
        batch.putLong(IngressFormat.FIRST_SEQUENCE_OFFSET, first + 1, IngressFormat.ORDER);
        batch.putLong(IngressFormat.RECEIVED_THROUGH_OFFSET, first, IngressFormat.ORDER);
        int at = IngressFormat.BATCH_HEADER_LENGTH;
        for (int i = first; i < first + count; i++)
        {
            long ts = IngressFormat.NO_TS;
            final int length;
            if (i < SKUS)
            {
                length = CommandCodec.encodeRestock(payload, 0, i + 1, 100_000);
            }
            else if (i % 6 <= 2)
            {
                ts = i % 5 == 0 ? 1_000_000L + i : IngressFormat.NO_TS;
                length = CommandCodec.encodePlaceHeader(payload, 0, i, 7 + i % 3, 0, 1);
                CommandCodec.encodePlaceLine(payload, 0, 0, i % SKUS + 1, 1 + i % 3, 100 + i);
            }
            else if (i % 6 == 3)
            {
                length = CommandCodec.encodeOrderCommand(payload, 0, CommandType.SHIP, i - 3);
            }
            else if (i % 6 == 4)
            {
                length = CommandCodec.encodeOrderCommand(payload, 0, CommandType.CANCEL, i - 3);
            }
            else
            {
                length = CommandCodec.encodeOrderCommand(payload, 0, CommandType.DELIVER, i - 2);
            }
            batch.putInt(at, length, IngressFormat.ORDER);
            batch.putLong(at + IngressFormat.ENTRY_TS_OFFSET, ts, IngressFormat.ORDER);
            batch.putBytes(at + IngressFormat.ENTRY_HEADER_LENGTH, payload, 0, length);
            at += IngressFormat.ENTRY_HEADER_LENGTH + length;
        }
        return at;
    }
}
