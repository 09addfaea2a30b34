package io.stockflow.cluster.service;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotLayout;
import io.stockflow.engine.snapshot.StateImage;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicatedFulfillmentTest
{
    private final UnsafeBuffer batch = new UnsafeBuffer(new byte[4096]);
    private final ExpandableArrayBuffer results = new ExpandableArrayBuffer(4096);
    private final List<Long> appliedTs = new ArrayList<>();
    private final ReplicatedFulfillment state = new ReplicatedFulfillment(86_400_000)
        .appliedListener((client, clientSequence, ts, command, sequence, outcome) -> appliedTs.add(ts));

    @Test
    void aResentDuplicateIsAnsweredWithItsKeptResultAndNotAppliedAgain()
    {
        parametersRecord(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, 0);
        final int length = restocks(1, 1, 0, 3, IngressFormat.NO_TS);
        assertEquals(resultsLength(3), state.onBatch(batch, 0, length, 1000, results));
        final long hash = state.view().stateHash();
        assertEquals(resultsLength(3), state.onBatch(batch, 0, length, 2000, results));
        assertEquals(3, state.view().lastSequence(), "the resend applied nothing");
        assertEquals(hash, state.view().stateHash());
        assertEquals(2, results.getLong(IngressFormat.RESULTS_HEADER_LENGTH + 20 + 8, IngressFormat.ORDER),
            "the second command's kept engine sequence");
        assertEquals(3, state.duplicates());
    }

    @Test
    void resultsTheClientReceivedAreNoLongerKeptAndAGapStopsTheEntry()
    {
        parametersRecord(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, 0);
        state.onBatch(batch, 0, restocks(1, 1, 0, 2, IngressFormat.NO_TS), 1000, results);
        assertEquals(0, state.onBatch(batch, 0, restocks(1, 1, 2, 2, IngressFormat.NO_TS), 1000, results),
            "received through 2: nothing to answer again");
        assertEquals(0, state.clients().find(1).keptCount());
        assertEquals(0, state.onBatch(batch, 0, restocks(1, 5, 2, 1, IngressFormat.NO_TS), 1000, results));
        assertEquals(2, state.view().lastSequence(), "client sequence 5 after 2 is a gap: not applied");
    }

    @Test
    void aCommandWithoutTsGetsClusterTimeAndOneTooFarAheadIsRefused()
    {
        parametersRecord(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, 0);
        state.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 5000, results);
        assertEquals(List.of(5000L), appliedTs);
        final int length = restocks(1, 2, 0, 1, 5000 + 86_400_001L);
        state.onBatch(batch, 0, length, 5000, results);
        assertEquals(IngressFormat.OUTCOME_REFUSED_CLOCK_AHEAD,
            results.getInt(IngressFormat.RESULTS_HEADER_LENGTH + 16, IngressFormat.ORDER));
        assertEquals(1, state.view().lastSequence(), "a refused command gets no sequence");
        assertEquals(2, state.clients().find(1).highestApplied(), "but consumes its client sequence");
    }

    @Test
    void aTsOutsideTheTimeRangeIsMalformedAndNeverReachesTheRules()
    {
        parametersRecord(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, 0);
        state.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 5000, results);
        final long hash = state.view().stateHash();
        long clientSequence = 2;
        for (final long ts : new long[] {-1, Long.MIN_VALUE + 1})
        {
            state.onBatch(batch, 0, restocks(1, clientSequence, 0, 1, ts), 5000, results);
            assertEquals(IngressFormat.OUTCOME_MALFORMED,
                results.getInt(IngressFormat.RESULTS_HEADER_LENGTH + 16, IngressFormat.ORDER), "ts=" + ts);
            assertEquals(clientSequence, state.clients().find(1).highestApplied(), "it consumes its client sequence");
            clientSequence++;
        }
        assertEquals(1, state.view().lastSequence(), "neither got an engine sequence");
        assertEquals(hash, state.view().stateHash());
        assertEquals(List.of(5000L), appliedTs, "the rules saw only the first command");
    }

    @Test
    void idleClientsAreForgottenAfterTheRetentionButNeverTheService()
    {
        parametersRecord(60_000, 0, 0, 500);
        state.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 1000, results);
        state.onBatch(batch, 0, restocks(2, 1, 0, 1, IngressFormat.NO_TS), 70_000, results);
        assertNull(state.clients().find(1), "client 1 was silent for more than the 60 s retention of cluster time");
        assertNotNull(state.clients().find(IngressFormat.SERVICE_CLIENT_ID), "the service's client stays");
        assertEquals(2, state.clients().size());
    }

    @Test
    void aRetentionOfZeroForgetsNoClient()
    {
        parametersRecord(0, 0, 0, 500);
        state.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 1000, results);
        state.onBatch(batch, 0, restocks(2, 1, 0, 1, IngressFormat.NO_TS), 400_000_000_000L, results);
        assertNotNull(state.clients().find(1));
    }

    @Test
    void theParametersRecordTakesNoSequenceAndASecondOneIsADuplicate()
    {
        final List<long[]> records = new ArrayList<>();
        state.parametersListener((retention, orders, skus) -> records.add(new long[] {retention, orders, skus}));
        assertFalse(state.begun());
        parametersRecord(120_000, 3, 2, 1000);
        assertTrue(state.begun());
        assertEquals(0, state.view().events(), "a parameters record is not an event");
        assertEquals(120_000, state.view().retentionMs());
        assertEquals(3, state.view().orderCapacity());
        assertEquals(2, state.view().skuCapacity());
        assertEquals(1, records.size());
        state.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 2000, results);
        assertEquals(1, state.view().lastSequence(), "the first command gets sequence 1, as in a new journal");
        parametersRecord(60_000, 9, 9, 3000);
        assertEquals(120_000, state.view().retentionMs(), "the second record is a duplicate");
        assertEquals(1, state.view().events());
        assertEquals(1, records.size());
        assertEquals(List.of(2000L), appliedTs);
    }

    @Test
    void aClientsCommandsBeforeTheParametersRecordWaitForIt()
    {
        final ReplicatedFulfillment fresh = new ReplicatedFulfillment(86_400_000);
        assertEquals(0, fresh.onBatch(batch, 0, restocks(1, 1, 0, 1, IngressFormat.NO_TS), 1000, results));
        assertEquals(0, fresh.view().events(), "not applied");
        assertNull(fresh.clients().find(1), "not even recorded: the resend is the first the client is seen");
    }

    @Test
    void aSnapshotRoundTripKeepsTheStateHashTheParametersAndTheClientTable() throws Exception
    {
        parametersRecord(120_000, 3, 5, 500);
        state.onBatch(batch, 0, restocks(1, 1, 0, 3, IngressFormat.NO_TS), 1000, results);
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(1024);
        final int length = ClusterSnapshot.encode(state, new StateImage(), bytes);
        final ReplicatedFulfillment loaded = new ReplicatedFulfillment(86_400_000);
        ClusterSnapshot.decode(bytes, length, loaded);
        assertEquals(state.view().stateHash(), loaded.view().stateHash());
        assertEquals(3, loaded.view().lastSequence());
        assertEquals(120_000, loaded.view().retentionMs());
        assertEquals(5, loaded.view().skuCapacity());
        assertTrue(loaded.begun());
        assertEquals(3, loaded.clients().find(1).highestApplied());
        assertEquals(3, loaded.clients().find(1).keptCount());
        bytes.putInt(8, CommandCodec.SCHEMA_VERSION + 1, IngressFormat.ORDER);
        final InvalidSnapshotException refused = assertThrows(InvalidSnapshotException.class,
            () -> ClusterSnapshot.decode(bytes, length, new ReplicatedFulfillment(86_400_000)));
        assertTrue(refused.getMessage().contains("command schema version " + (CommandCodec.SCHEMA_VERSION + 1)),
            refused.getMessage());
    }

    /**
     * A snapshot holding orders (more than a chunk, every status the places give) loads back to the same
     * state in this build's format, and in the previous format (fixed-width order records, written here
     * from this snapshot's own image, as the previous release's encoder wrote them), which a member
     * upgraded in a running cluster still reads.
     */
    @Test
    void aSnapshotWithOrdersLoadsInThisFormatAndInThePreviousOne() throws Exception
    {
        parametersRecord(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, 500);
        state.onBatch(batch, 0, restocks(1, 1, 0, 3, IngressFormat.NO_TS), 1000, results);
        final int orders = SnapshotLayout.ORDERS_PER_CHUNK + 100;
        for (int first = 0; first < orders; first += 20)
        {
            state.onBatch(batch, 0, places(1, 4 + first, first, Math.min(20, orders - first)), 2000 + first, results);
        }
        final StateImage image = new StateImage();
        image.capture(state.view());
        assertEquals(orders, image.orderCount());

        final ExpandableArrayBuffer current = new ExpandableArrayBuffer(1024);
        final int currentLength = ClusterSnapshot.encode(state, new StateImage(), current);
        assertEquals(ClusterSnapshot.FORMAT_VERSION, current.getInt(4, IngressFormat.ORDER));
        final ReplicatedFulfillment loaded = new ReplicatedFulfillment(86_400_000);
        ClusterSnapshot.decode(current, currentLength, loaded);
        assertEquals(state.view().stateHash(), loaded.view().stateHash());
        assertEquals(orders, loaded.view().orderCount());

        final ExpandableArrayBuffer previous = new ExpandableArrayBuffer(1024);
        final int previousLength = inFixedOrdersFormat(current, currentLength, image, previous);
        final ReplicatedFulfillment loadedPrevious = new ReplicatedFulfillment(86_400_000);
        ClusterSnapshot.decode(previous, previousLength, loadedPrevious);
        assertEquals(state.view().stateHash(), loadedPrevious.view().stateHash());
        assertEquals(3 + orders, loadedPrevious.clients().find(1).highestApplied(), "the client table follows");
    }

    /**
     * Rewrites a snapshot of this format in format 3: the same header (but its version), SKUs and client
     * table, with the order chunks re-encoded as fixed-width records from {@code image}.
     */
    private static int inFixedOrdersFormat(
        final ExpandableArrayBuffer current, final int length, final StateImage image, final ExpandableArrayBuffer into)
    {
        int at = 80;
        final int skus = current.getInt(at, IngressFormat.ORDER);
        at += 4 + skus * (8 + SnapshotLayout.SKU_VALUE_LENGTH) + 4;
        into.putBytes(0, current, 0, at);
        into.putInt(4, ClusterSnapshot.FIXED_ORDERS_FORMAT_VERSION, IngressFormat.ORDER);
        int from = at;
        for (int chunk = 0, chunks = SnapshotLayout.orderChunkCount(image.orderCount()); chunk < chunks; chunk++)
        {
            from += 4 + current.getInt(from, IngressFormat.ORDER);
        }
        final byte[] chunk = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
        for (int order = 0; order < image.orderCount();)
        {
            final int end = Math.min(order + SnapshotLayout.ORDERS_PER_CHUNK, image.orderCount());
            int chunkLength = 0;
            for (; order < end; order++)
            {
                chunkLength += SnapshotLayout.encodeOrder(image, order, chunk, chunkLength);
            }
            into.putInt(at, chunkLength, IngressFormat.ORDER);
            into.putBytes(at + 4, chunk, 0, chunkLength);
            at += 4 + chunkLength;
        }
        into.putBytes(at, current, from, length - from);
        return at + length - from;
    }

    @Test
    void aMessageThatIsNotABatchIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> state.onBatch(batch, 0, 8, 1000, results));
        assertEquals(0, state.view().events());
    }

    private void parametersRecord(final long retention, final long orders, final long skus, final long clusterTime)
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[256]);
        final int length = ReplicatedFulfillment.encodeParametersRecord(record, retention, orders, skus);
        state.onBatch(record, 0, length, clusterTime, results);
    }

    private int restocks(final long client, final long firstSequence, final long receivedThrough, final int count,
        final long ts)
    {
        batch.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_BATCH, IngressFormat.ORDER);
        batch.putInt(IngressFormat.COUNT_OFFSET, count, IngressFormat.ORDER);
        batch.putLong(IngressFormat.CLIENT_ID_OFFSET, client, IngressFormat.ORDER);
        batch.putLong(IngressFormat.FIRST_SEQUENCE_OFFSET, firstSequence, IngressFormat.ORDER);
        batch.putLong(IngressFormat.RECEIVED_THROUGH_OFFSET, receivedThrough, IngressFormat.ORDER);
        int at = IngressFormat.BATCH_HEADER_LENGTH;
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        for (int i = 0; i < count; i++)
        {
            final int length = CommandCodec.encodeRestock(payload, 0, 10 + firstSequence + i, 5);
            batch.putInt(at, length, IngressFormat.ORDER);
            batch.putLong(at + IngressFormat.ENTRY_TS_OFFSET, ts, IngressFormat.ORDER);
            batch.putBytes(at + IngressFormat.ENTRY_HEADER_LENGTH, payload, 0, length);
            at += IngressFormat.ENTRY_HEADER_LENGTH + length;
        }
        return at;
    }

    /** A batch of {@code count} PLACEs of orders {@code firstOrder + 1} on, one line each of SKUs 11 to 13. */
    private int places(final long client, final long firstSequence, final int firstOrder, final int count)
    {
        batch.putInt(IngressFormat.TYPE_OFFSET, IngressFormat.TYPE_BATCH, IngressFormat.ORDER);
        batch.putInt(IngressFormat.COUNT_OFFSET, count, IngressFormat.ORDER);
        batch.putLong(IngressFormat.CLIENT_ID_OFFSET, client, IngressFormat.ORDER);
        batch.putLong(IngressFormat.FIRST_SEQUENCE_OFFSET, firstSequence, IngressFormat.ORDER);
        batch.putLong(IngressFormat.RECEIVED_THROUGH_OFFSET, 0, IngressFormat.ORDER);
        int at = IngressFormat.BATCH_HEADER_LENGTH;
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        for (int i = 0; i < count; i++)
        {
            final long order = firstOrder + i + 1;
            final int length = CommandCodec.encodePlaceHeader(payload, 0, order, 100 + order % 7, 60_000, 1);
            CommandCodec.encodePlaceLine(payload, 0, 0, 11 + order % 3, 1, 250 + order);
            batch.putInt(at, length, IngressFormat.ORDER);
            batch.putLong(at + IngressFormat.ENTRY_TS_OFFSET, IngressFormat.NO_TS, IngressFormat.ORDER);
            batch.putBytes(at + IngressFormat.ENTRY_HEADER_LENGTH, payload, 0, length);
            at += IngressFormat.ENTRY_HEADER_LENGTH + length;
        }
        return at;
    }

    private static int resultsLength(final int count)
    {
        return IngressFormat.RESULTS_HEADER_LENGTH + count * IngressFormat.RESULT_LENGTH;
    }
}
