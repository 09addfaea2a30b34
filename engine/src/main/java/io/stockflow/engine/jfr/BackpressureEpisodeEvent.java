package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: a back-pressure episode, from the first refused publish to the next
 * accepted one. One event per episode, never one per refusal.
 */
@Name("io.stockflow.BackpressureEpisode")
@Label("Stockflow Back-pressure Episode")
@Category({"Stockflow", "Engine"})
@Description("Publishes refused with BACKPRESSURE, from the first refusal to the next accepted publish")
public final class BackpressureEpisodeEvent extends Event
{
    @Label("Refusals")
    public long refusals;

    @Label("Lowest Free Slots")
    public long lowestFreeSlots;

    @Label("Shadow Lag Refusals")
    @Description("Refusals of the episode made because the shadow state was at the shadow lag limit")
    public long shadowLagRefusals;
}
