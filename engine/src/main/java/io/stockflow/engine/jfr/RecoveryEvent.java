package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: the engine rebuilt its state at start (its duration is the recovery time). */
@Name("io.stockflow.Recovery")
@Label("Stockflow Recovery")
@Category({"Stockflow", "Engine"})
@Description("State rebuilt at start: newest valid snapshot plus journal tail")
public final class RecoveryEvent extends Event
{
    @Label("Engine Directory")
    public String directory;

    @Label("Snapshot Used")
    @Description("Snapshot directory name, or empty for a full replay")
    public String snapshot;

    @Label("Snapshots Skipped")
    public int snapshotsSkipped;

    @Label("Events Replayed")
    public long eventsReplayed;

    @Label("Last Sequence")
    public long lastSequence;
}
