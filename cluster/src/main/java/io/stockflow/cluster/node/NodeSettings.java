package io.stockflow.cluster.node;

import io.stockflow.engine.rules.RuleParameters;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * What one cluster member is started with.
 *
 * @param memberId           this member's id in {@code members}.
 * @param members            the cluster.
 * @param directory          this member's directory (archive, cluster, marker), kept across restarts.
 * @param heartbeatTimeoutMs leader heartbeat timeout: a dead leader is replaced about this long
 *                           plus 0.8 s after it stops (measured on loopback).
 * @param snapshotLogBytes   the leader asks for a snapshot when the log has grown this much since
 *                           the last one (0: never by length).
 * @param snapshotIntervalMs ... or when this long has passed with log growth (0: never by time).
 * @param retentionMs        the retention a new cluster's log begins with (its parameters record); a
 *                           log that has begun keeps its own, and a RULES command changes it.
 * @param orderCapacity      the order capacity a new cluster's log begins with.
 * @param skuCapacity        the SKU capacity a new cluster's log begins with.
 * @param maxClockAheadMs    docs/DOMAIN.md's clock-ahead bound against cluster time (0: off).
 */
public record NodeSettings(
    int memberId,
    MembersSpec members,
    File directory,
    long heartbeatTimeoutMs,
    long snapshotLogBytes,
    long snapshotIntervalMs,
    long retentionMs,
    long orderCapacity,
    long skuCapacity,
    long maxClockAheadMs)
{
    /** Default leader heartbeat timeout. */
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 1000;
    /** Default log growth between snapshots: 64 MiB. */
    public static final long DEFAULT_SNAPSHOT_LOG_BYTES = 64L << 20;
    /** Default clock-ahead bound: 1 day. */
    public static final long DEFAULT_MAX_CLOCK_AHEAD_MS = TimeUnit.DAYS.toMillis(1);

    /**
     * @param memberId  this member.
     * @param members   the cluster.
     * @param directory this member's directory.
     * @return settings with every default.
     */
    public static NodeSettings defaults(final int memberId, final MembersSpec members, final File directory)
    {
        return new NodeSettings(memberId, members, directory, DEFAULT_HEARTBEAT_TIMEOUT_MS,
            DEFAULT_SNAPSHOT_LOG_BYTES, 0, RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY, DEFAULT_MAX_CLOCK_AHEAD_MS);
    }

    /**
     * @param bytes log growth between snapshots.
     * @return a copy with it.
     */
    public NodeSettings withSnapshotLogBytes(final long bytes)
    {
        return new NodeSettings(memberId, members, directory, heartbeatTimeoutMs, bytes, snapshotIntervalMs,
            retentionMs, orderCapacity, skuCapacity, maxClockAheadMs);
    }

    /**
     * @param retention the retention a new cluster's log begins with.
     * @param orders    its order capacity.
     * @param skus      its SKU capacity.
     * @return a copy with them.
     */
    public NodeSettings withRuleParameters(final long retention, final long orders, final long skus)
    {
        return new NodeSettings(memberId, members, directory, heartbeatTimeoutMs, snapshotLogBytes,
            snapshotIntervalMs, retention, orders, skus, maxClockAheadMs);
    }
}
