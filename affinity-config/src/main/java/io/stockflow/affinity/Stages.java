package io.stockflow.affinity;

import java.util.List;

/**
 * The stage names a plan may use, in pipeline order. The order is also the priority when two
 * stages compete for a CPU: the planner serves the journal first, because every result waits
 * for it.
 *
 * <p>{@code journal}, {@code logic} and {@code outcome} are the Disruptor stages of the parallel
 * topology, {@code fused} the one stage of the fused topology; {@code pretouch} and
 * {@code snapshot} are background threads. All are planned the same way; the plan's
 * {@link Topology} says which of them run.
 */
public final class Stages
{
    /** Writes each event to the journal. */
    public static final String JOURNAL = "journal";
    /** Applies the business rules. */
    public static final String LOGIC = "logic";
    /** Delivers results once journaled; gated on journal and logic. */
    public static final String OUTCOME = "outcome";
    /**
     * The one consumer of the fused topology: journals and applies each event, commits per batch,
     * then releases outcomes. Runs only when the plan's topology is {@link Topology#FUSED}.
     */
    public static final String FUSED = "fused";
    /** Background thread that pre-touches journal files ahead of the writer. */
    public static final String PRETOUCH = "pretouch";
    /** Background thread that writes snapshots. */
    public static final String SNAPSHOT = "snapshot";

    private static final List<String> ALL = List.of(JOURNAL, LOGIC, OUTCOME, FUSED, PRETOUCH, SNAPSHOT);

    private Stages()
    {
    }

    /**
     * Every stage name in pipeline order.
     *
     * @return the names
     */
    public static List<String> all()
    {
        return ALL;
    }

    /**
     * Whether a name is a stage.
     *
     * @param name the name
     * @return true when known
     */
    public static boolean isKnown(String name)
    {
        return ALL.contains(name);
    }

    /**
     * The position of a stage in pipeline order.
     *
     * @param name a known stage name
     * @return 0 for the journal, upwards
     */
    static int order(String name)
    {
        int index = ALL.indexOf(name);
        if (index < 0)
        {
            throw new IllegalArgumentException("unknown stage '" + name + "' (known: " + String.join(", ", ALL) + ")");
        }
        return index;
    }
}
