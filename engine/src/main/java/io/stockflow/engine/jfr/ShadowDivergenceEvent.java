package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: at a checkpoint sequence the shadow state (the journal's committed records
 * replayed on the snapshot thread) and the live state had different hashes.
 * Committed by the snapshot thread.
 */
@Name("io.stockflow.ShadowDivergence")
@Label("Stockflow Shadow Divergence")
@Category({"Stockflow", "Engine"})
@Description("The live state differs from the journal's replay at a checkpoint")
public final class ShadowDivergenceEvent extends Event
{
    @Label("Sequence")
    public long sequence;

    @Label("Live State Hash")
    public long liveHash;

    @Label("Shadow State Hash")
    public long shadowHash;

    @Label("Halted")
    @Description("True when the divergence policy halted the engine")
    public boolean halted;
}
