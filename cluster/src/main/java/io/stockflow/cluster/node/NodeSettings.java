package io.stockflow.cluster.node;

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
 * @param idleForgetMs       a client silent this long (cluster time) is forgotten by deduplication.
 * @param maxClockAheadMs    docs/DOMAIN.md's clock-ahead bound against cluster time (0: off).
 */
public record NodeSettings(
    int memberId,
    MembersSpec members,
    File directory,
    long heartbeatTimeoutMs,
    long snapshotLogBytes,
    long snapshotIntervalMs,
    long idleForgetMs,
    long maxClockAheadMs)
{
    /** Default leader heartbeat timeout. */
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 1000;
    /** Default log growth between snapshots: 64 MiB. */
    public static final long DEFAULT_SNAPSHOT_LOG_BYTES = 64L << 20;
    /** Default idle time after which a client is forgotten: 7 days, docs/DOMAIN.md's default retention. */
    public static final long DEFAULT_IDLE_FORGET_MS = TimeUnit.DAYS.toMillis(7);
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
            DEFAULT_SNAPSHOT_LOG_BYTES, 0, DEFAULT_IDLE_FORGET_MS, DEFAULT_MAX_CLOCK_AHEAD_MS);
    }

    /**
     * @param bytes log growth between snapshots.
     * @return a copy with it.
     */
    public NodeSettings withSnapshotLogBytes(final long bytes)
    {
        return new NodeSettings(memberId, members, directory, heartbeatTimeoutMs, bytes, snapshotIntervalMs,
            idleForgetMs, maxClockAheadMs);
    }
}
