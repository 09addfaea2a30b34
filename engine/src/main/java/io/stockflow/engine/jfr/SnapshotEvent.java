package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR: a snapshot was written (its duration is the write on the snapshot thread). */
@Name("io.stockflow.Snapshot")
@Label("Stockflow Snapshot")
@Category({"Stockflow", "Engine"})
@Description("A snapshot written and published")
public final class SnapshotEvent extends Event
{
    @Label("Sequence")
    public long sequence;

    @Label("Logic Stage Hold-up")
    @Description("What the live logic stage last spent on snapshot work (publishing its state hash at a checkpoint); the snapshot itself is written from the shadow state")
    @Timespan(Timespan.NANOSECONDS)
    public long holdNs;

    @Label("Size")
    @DataAmount(DataAmount.BYTES)
    public long bytes;

    @Label("Succeeded")
    public boolean succeeded;
}
