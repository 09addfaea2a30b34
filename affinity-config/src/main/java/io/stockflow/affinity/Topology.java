package io.stockflow.affinity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the engine's stages are wired behind the ring, named as in the plan file
 * ({@code topology = parallel | fused}). The topology decides which stages of {@link Stages}
 * start a thread, so the planner checks and the table shows only those ({@link #stages()}).
 */
public enum Topology
{
    /**
     * Journal ∥ logic → outcome on three stage threads: the most throughput when every hot
     * thread (these three and the publisher) has a CPU of its own.
     */
    PARALLEL("parallel", List.of(Stages.JOURNAL, Stages.LOGIC, Stages.OUTCOME, Stages.PRETOUCH, Stages.SNAPSHOT)),
    /**
     * One stage thread ({@link Stages#FUSED}) that journals and applies each event, commits at the
     * end of the batch, then releases its outcomes: no hand-off between stages, for few CPUs.
     */
    FUSED("fused", List.of(Stages.FUSED, Stages.PRETOUCH, Stages.SNAPSHOT));

    private final String fileName;
    private final List<String> stages;

    Topology(String fileName, List<String> stages)
    {
        this.fileName = fileName;
        this.stages = stages;
    }

    /**
     * The spelling used in plan files and tables.
     *
     * @return {@code parallel} or {@code fused}
     */
    public String fileName()
    {
        return fileName;
    }

    /**
     * The stages that start a thread in this topology, in pipeline order.
     *
     * @return the stage names
     */
    public List<String> stages()
    {
        return stages;
    }

    /**
     * Whether a stage starts a thread in this topology.
     *
     * @param stage a name from {@link Stages}
     * @return true when it runs
     */
    public boolean runs(String stage)
    {
        return stages.contains(stage);
    }

    /**
     * Reads a plan-file spelling; case-insensitive.
     *
     * @param text the value as written
     * @return the topology, or empty when the text names none
     */
    public static Optional<Topology> fromFileName(String text)
    {
        String normalised = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(topology -> topology.fileName.equals(normalised)).findFirst();
    }

    /**
     * The accepted spellings, for error messages.
     *
     * @return {@code parallel, fused}
     */
    public static String fileNames()
    {
        return Arrays.stream(values()).map(Topology::fileName).collect(Collectors.joining(", "));
    }
}
