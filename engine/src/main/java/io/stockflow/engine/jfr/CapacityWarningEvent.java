package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: held orders crossed 90% of the rule parameter orderCapacity; past it, PLACE is
 * rejected {@code LIMIT_EXCEEDED}. One event per crossing (armed again below 80%).
 */
@Name("io.stockflow.CapacityWarning")
@Label("Stockflow Capacity Warning")
@Category({"Stockflow", "Engine"})
@Description("Held orders crossed 90% of orderCapacity")
public final class CapacityWarningEvent extends Event
{
    @Label("Held Orders")
    public long heldOrders;

    @Label("Order Capacity")
    public long orderCapacity;
}
