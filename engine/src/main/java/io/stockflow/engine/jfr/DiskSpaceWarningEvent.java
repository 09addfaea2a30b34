package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: free space on the journal's file system fell below the warning level, which lies above the
 * level at which the journal refuses records and the engine halts. One event per crossing (armed
 * again once free space is back a tenth above the level).
 */
@Name("io.stockflow.DiskSpaceWarning")
@Label("Stockflow Disk Space Warning")
@Category({"Stockflow", "Journal"})
@Description("Free space on the journal's file system fell below the warning level")
public final class DiskSpaceWarningEvent extends Event
{
    @Label("Free Bytes")
    @DataAmount
    public long freeBytes;

    @Label("Warning Level")
    @DataAmount
    public long warningBytes;

    @Label("Halt Level")
    @DataAmount
    public long haltBytes;

    @Label("Journal Bytes A Day")
    @DataAmount
    public long journalBytesPerDay;
}
