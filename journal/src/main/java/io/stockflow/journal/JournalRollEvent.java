package io.stockflow.journal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: appending moved to a new cycle file (a roll-over). Rare: once per roll cycle. */
@Name("io.stockflow.JournalRoll")
@Label("Stockflow Journal Roll-over")
@Category({"Stockflow", "Journal"})
@Description("The journal appender moved to a new Chronicle Queue cycle file")
final class JournalRollEvent extends Event
{
    @Label("From Cycle")
    int fromCycle;

    @Label("To Cycle")
    int toCycle;

    @Label("First Sequence")
    @Description("The first record written to the new cycle")
    long firstSequence;
}
