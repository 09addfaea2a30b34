package io.stockflow.engine.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: the engine halted fail-stop (journal I/O failure, or an exception from the rules). */
@Name("io.stockflow.Halt")
@Label("Stockflow Halt")
@Category({"Stockflow", "Engine"})
@Description("The engine halted: publishes are refused and no further outcome is released")
public final class HaltEvent extends Event
{
    @Label("Reason")
    public String reason;

    @Label("Cause")
    @Description("The exception that halted the engine, or null")
    public String cause;
}
