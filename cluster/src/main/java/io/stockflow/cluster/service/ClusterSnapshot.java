package io.stockflow.cluster.service;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotLayout;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.StateImage;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The service's part of an Aeron Cluster snapshot, as plain bytes: the rules' state in
 * {@link SnapshotLayout}'s encoding (the single-node engine's SKU values, each after its key, and
 * its order chunks), then the {@link ClientTable}. All fields little-endian.
 *
 * <pre>
 *   i32 magic 'SFCS' | i32 format version | i32 command schema version | i32 reserved (0)
 *   i64 last sequence | i64 event time | i64 events | i64 state hash
 *   i64 retentionMs | i64 orderCapacity | i64 skuCapacity | i64 ordersForgotten
 *   i32 SKU count,   then per SKU:   i64 SKU id   | SnapshotLayout SKU value (16 bytes)
 *   i32 order count, then per chunk of up to SnapshotLayout.ORDERS_PER_CHUNK orders:
 *                    i32 chunk length | SnapshotLayout order chunk (records in row order; compact
 *                    records in format 4, fixed-width ones in format 3, which is still read)
 *   the ClientTable encoding
 * </pre>
 *
 * The rule parameters are state (docs/DOMAIN.md "Rule parameters"): covered by the state hash and
 * kept here, as the single-node engine keeps them in its snapshot metadata.
 * Loading checks the versions first (a snapshot from another format or command schema is refused
 * with both versions named), then restores through {@link StateRestorer} and checks the state hash.
 */
public final class ClusterSnapshot
{
    /** 'SFCS'. */
    public static final int MAGIC = 0x53464353;
    /** This encoding's version: 4, order chunks of compact records. */
    public static final int FORMAT_VERSION = 4;
    /**
     * The previous version, order chunks of fixed-width records, still read: a cluster upgraded member
     * by member loads the snapshots its members took before.
     */
    public static final int FIXED_ORDERS_FORMAT_VERSION = 3;
    private static final int HEADER_LENGTH = 16 + 64;

    private ClusterSnapshot()
    {
    }

    /**
     * Encodes the state. Service thread only.
     *
     * @param state the replicated state.
     * @param image scratch for the state copy.
     * @param into  receives the bytes from 0.
     * @return the encoded length.
     */
    public static int encode(final ReplicatedFulfillment state, final StateImage image,
        final ExpandableArrayBuffer into)
    {
        image.capture(state.view());
        into.putInt(0, MAGIC, IngressFormat.ORDER);
        into.putInt(4, FORMAT_VERSION, IngressFormat.ORDER);
        into.putInt(8, CommandCodec.SCHEMA_VERSION, IngressFormat.ORDER);
        into.putInt(12, 0, IngressFormat.ORDER);
        into.putLong(16, image.lastSequence(), IngressFormat.ORDER);
        into.putLong(24, image.eventTimeMs(), IngressFormat.ORDER);
        into.putLong(32, image.events(), IngressFormat.ORDER);
        into.putLong(40, image.stateHash(), IngressFormat.ORDER);
        into.putLong(48, state.view().retentionMs(), IngressFormat.ORDER);
        into.putLong(56, state.view().orderCapacity(), IngressFormat.ORDER);
        into.putLong(64, state.view().skuCapacity(), IngressFormat.ORDER);
        into.putLong(72, state.view().ordersForgotten(), IngressFormat.ORDER);
        int at = HEADER_LENGTH;
        final byte[] value = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
        into.putInt(at, image.skuCount(), IngressFormat.ORDER);
        at += 4;
        for (int i = 0; i < image.skuCount(); i++)
        {
            final long sku = SnapshotLayout.encodeSku(image, i, value);
            into.putLong(at, sku, IngressFormat.ORDER);
            into.putBytes(at + 8, value, 0, SnapshotLayout.SKU_VALUE_LENGTH);
            at += 8 + SnapshotLayout.SKU_VALUE_LENGTH;
        }
        into.putInt(at, image.orderCount(), IngressFormat.ORDER);
        at += 4;
        final byte[] chunk = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
        for (int number = 0, chunks = SnapshotLayout.orderChunkCount(image.orderCount()); number < chunks; number++)
        {
            final int length = SnapshotLayout.encodeOrderChunk(image, number, chunk);
            into.putInt(at, length, IngressFormat.ORDER);
            into.putBytes(at + 4, chunk, 0, length);
            at += 4 + length;
        }
        into.checkLimit(at + state.clients().encodedLength());
        return state.clients().encode(into, at);
    }

    /**
     * Loads encoded state into {@code state}, replacing its rules and its client table.
     *
     * @param bytes  the encoding.
     * @param length its length.
     * @param state  the replicated state to load into.
     * @throws InvalidSnapshotException if the bytes are not a snapshot this version can load, or the
     *                                  restored state's hash differs from the recorded one.
     */
    public static void decode(final DirectBuffer bytes, final int length, final ReplicatedFulfillment state)
        throws InvalidSnapshotException
    {
        if (length < HEADER_LENGTH || bytes.getInt(0, IngressFormat.ORDER) != MAGIC)
        {
            throw new InvalidSnapshotException("the cluster snapshot is not a Stockflow service snapshot");
        }
        final int format = bytes.getInt(4, IngressFormat.ORDER);
        final int schema = bytes.getInt(8, IngressFormat.ORDER);
        if (format != FORMAT_VERSION && format != FIXED_ORDERS_FORMAT_VERSION || schema != CommandCodec.SCHEMA_VERSION)
        {
            throw new InvalidSnapshotException("the cluster snapshot has format version " + format
                + " and command schema version " + schema + "; this build reads formats " + FIXED_ORDERS_FORMAT_VERSION
                + " and " + FORMAT_VERSION + " and schema " + CommandCodec.SCHEMA_VERSION);
        }
        final int ordersSchema = format == FORMAT_VERSION
            ? SnapshotMetadata.SCHEMA_VERSION
            : SnapshotMetadata.FIXED_ORDERS_SCHEMA_VERSION;
        final long lastSequence = bytes.getLong(16, IngressFormat.ORDER);
        final long eventTime = bytes.getLong(24, IngressFormat.ORDER);
        final long events = bytes.getLong(32, IngressFormat.ORDER);
        final long stateHash = bytes.getLong(40, IngressFormat.ORDER);
        try
        {
            final StateRestorer restorer = new StateRestorer(ReplicatedFulfillment.freshRules());
            int at = HEADER_LENGTH;
            final int skus = bytes.getInt(at, IngressFormat.ORDER);
            at += 4;
            for (int i = 0; i < skus; i++)
            {
                final byte[] value = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
                bytes.getBytes(at + 8, value);
                SnapshotLayout.restoreSku(bytes.getLong(at, IngressFormat.ORDER), value, restorer);
                at += 8 + SnapshotLayout.SKU_VALUE_LENGTH;
            }
            final int orders = bytes.getInt(at, IngressFormat.ORDER);
            at += 4;
            final SnapshotLayout.LineScratch lines = new SnapshotLayout.LineScratch();
            final byte[] chunk = new byte[SnapshotLayout.MAX_ORDER_CHUNK_LENGTH];
            long restored = 0;
            for (int number = 0, chunks = SnapshotLayout.orderChunkCount(orders); number < chunks; number++)
            {
                final int chunkLength = bytes.getInt(at, IngressFormat.ORDER);
                if (chunkLength <= 0 || chunkLength > SnapshotLayout.MAX_ORDER_CHUNK_LENGTH)
                {
                    throw new InvalidSnapshotException("order chunk " + number + " length=" + chunkLength);
                }
                bytes.getBytes(at + 4, chunk, 0, chunkLength);
                restored += SnapshotLayout.restoreOrders(ordersSchema, number, chunk, chunkLength, lines, restorer);
                at += 4 + chunkLength;
            }
            if (restored != orders)
            {
                throw new InvalidSnapshotException("holds " + restored + " orders, its header says " + orders);
            }
            restorer.restoreCounters(events, lastSequence, eventTime);
            restorer.restoreParameters(bytes.getLong(48, IngressFormat.ORDER), bytes.getLong(56, IngressFormat.ORDER),
                bytes.getLong(64, IngressFormat.ORDER), bytes.getLong(72, IngressFormat.ORDER));
            final FulfillmentRules rules = restorer.complete(stateHash);
            state.clients().decode(bytes, at, length);
            state.restoreRules(rules);
        }
        catch (final IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException ex)
        {
            throw new InvalidSnapshotException("the cluster snapshot is corrupt: " + ex.getMessage());
        }
    }
}
