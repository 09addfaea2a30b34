package io.stockflow.engine.snapshot;

/**
 * Where the engine's periodic snapshots come from ({@code EngineConfig.Builder.snapshotSource}).
 */
public enum SnapshotSource
{
    /**
     * A shadow state on the snapshot thread replays every committed record with the replay's code and
     * snapshots are written from it ({@link io.stockflow.engine.shadow.ShadowSnapshots}). The live logic
     * stage does nothing for a snapshot but publish a hash every few thousand events, and the shadow checks
     * determinism continuously; the cost is a second copy of the state on the heap and a second pass of the
     * rules over every event, which on a machine with few CPUs competes with the live stages.
     */
    SHADOW_STATE,
    /**
     * The logic stage copies the live state row by row after each snapshot point, each row before its first
     * change, a few rows after each event ({@link LiveCaptureSnapshots}). No replay and no second state: the
     * cost is the copy, spread in steps of about a microsecond over the events after the snapshot point. No
     * continuous determinism check.
     */
    LIVE_STATE
}
