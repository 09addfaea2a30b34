package io.stockflow.affinity;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an operator asks for: a mode, a {@link Topology} or none (then
 * {@link DefaultPlanPolicy#topologyFor} picks it from the usable CPUs when the plan is resolved),
 * and, for every stage, a CPU or none, a wait strategy and a nice.
 * Immutable. Not yet checked against the machine: {@link AffinityPlanner#resolve} does that.
 *
 * <p>The plan always holds every stage of {@link Stages#all()}, in pipeline order; a stage the
 * file or caller leaves out runs unpinned with {@link DefaultPlanPolicy#UNLISTED_STAGE_WAIT}.
 * The file format is documented by {@code example-affinity.properties} next to this class.
 */
public final class AffinityPlan
{
    private static final String ASKED = "asked";
    private static final String CHOSEN_BY_CONFIG = "chosen by EngineConfig.pipeline";
    private final AffinityMode mode;
    private final Optional<Topology> topology;
    private final List<StagePlan> stages;
    private final String source;
    /** Why the topology is what it is, for the printed table: asked by the plan, or chosen by the engine's caller. */
    private final String topologyReason;

    private AffinityPlan(
        AffinityMode mode, Optional<Topology> topology, List<StagePlan> stages, String source, String topologyReason)
    {
        this.mode = mode;
        this.topology = topology;
        this.stages = stages;
        this.source = source;
        this.topologyReason = topologyReason;
    }

    /**
     * A plan from explicit stage plans.
     *
     * @param mode   the mode
     * @param stages at most one plan per stage, in any order
     * @return the plan, completed with the missing stages and in pipeline order
     */
    public static AffinityPlan of(AffinityMode mode, List<StagePlan> stages)
    {
        return of(mode, Optional.empty(), stages, "explicit plan");
    }

    /**
     * A plan from explicit stage plans and a topology.
     *
     * @param mode     the mode
     * @param topology the topology
     * @param stages   at most one plan per stage, in any order
     * @return the plan, completed with the missing stages and in pipeline order
     */
    public static AffinityPlan of(AffinityMode mode, Topology topology, List<StagePlan> stages)
    {
        return of(mode, Optional.of(topology), stages, "explicit plan");
    }

    static AffinityPlan of(AffinityMode mode, Optional<Topology> topology, List<StagePlan> stages, String source)
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(topology, "topology");
        Map<String, StagePlan> byStage = new LinkedHashMap<>();
        for (StagePlan stage : stages)
        {
            if (byStage.putIfAbsent(stage.stage(), stage) != null)
            {
                throw new IllegalArgumentException("stage " + stage.stage() + " is planned twice");
            }
        }
        for (String name : Stages.all())
        {
            byStage.putIfAbsent(name, StagePlan.unpinned(name, DefaultPlanPolicy.UNLISTED_STAGE_WAIT));
        }
        List<StagePlan> ordered = new ArrayList<>(byStage.values());
        ordered.sort(Comparator.comparingInt(stage -> Stages.order(stage.stage())));
        return new AffinityPlan(mode, topology, List.copyOf(ordered), source, ASKED);
    }

    /**
     * This plan with another topology, the stage plans unchanged: how an engine's explicit
     * topology override ({@code EngineConfig.Builder#pipeline}) reaches the planner, so the
     * printed table shows what really runs.
     *
     * @param other the topology
     * @return the new plan
     */
    public AffinityPlan withTopology(Topology other)
    {
        return new AffinityPlan(mode, Optional.of(other), stages, source, CHOSEN_BY_CONFIG);
    }

    /**
     * Reads a plan file (UTF-8).
     *
     * @param file the plan file
     * @return the plan
     * @throws IOException            when the file cannot be read
     * @throws AffinityPlanException  listing every error as {@code file:line: what is wrong}
     */
    public static AffinityPlan parse(Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return parse(reader, file.toString());
        }
        catch (CharacterCodingException notText)
        {
            throw new AffinityPlanException("invalid affinity plan " + file,
                List.of(file + ": not a plan file: not UTF-8 text (a plan is lines of key = value)"));
        }
    }

    /**
     * Reads a plan in the file format.
     *
     * @param reader     the text
     * @param sourceName the name used in error messages, usually the file path
     * @return the plan
     * @throws IOException            when the reader fails
     * @throws AffinityPlanException  listing every error as {@code source:line: what is wrong}
     */
    public static AffinityPlan parse(Reader reader, String sourceName) throws IOException
    {
        return new AffinityPlanParser(sourceName).parse(reader);
    }

    /**
     * The plan used when no file is given, computed from the machine by
     * {@link DefaultPlanPolicy}: the topology from the usable CPUs (fused below
     * {@value DefaultPlanPolicy#PARALLEL_MIN_USABLE_CPUS}); usable isolated CPUs go to the
     * spinning candidates of that topology, which then busy-spin.
     *
     * @param cpus the machine
     * @return the default plan, always valid for {@code cpus}
     */
    public static AffinityPlan defaultFor(CpuInventory cpus)
    {
        return DefaultPlanPolicy.planFor(cpus, DefaultPlanPolicy.topologyFor(cpus));
    }

    /**
     * The default plan for a topology chosen by the caller rather than by the CPU count: the
     * isolated CPUs go to that topology's spinning candidates.
     *
     * @param cpus     the machine
     * @param topology the topology the engine will run
     * @return the default plan for that topology, always valid for {@code cpus}
     */
    public static AffinityPlan defaultFor(CpuInventory cpus, Topology topology)
    {
        return DefaultPlanPolicy.planFor(cpus, topology).withTopology(topology);
    }

    /**
     * The mode.
     *
     * @return the mode
     */
    public AffinityMode mode()
    {
        return mode;
    }

    /**
     * The topology asked for.
     *
     * @return the topology, or empty when the planner picks it from the usable CPUs
     */
    public Optional<Topology> topology()
    {
        return topology;
    }

    /**
     * Why this plan names its topology: {@code asked} when the plan itself does, {@code chosen by
     * EngineConfig.pipeline} when the engine's caller overrode it; meaningless when {@link #topology()} is empty.
     *
     * @return the reason the printed table gives
     */
    public String topologyReason()
    {
        return topologyReason;
    }

    /**
     * Every stage, in pipeline order.
     *
     * @return the stage plans
     */
    public List<StagePlan> stages()
    {
        return stages;
    }

    /**
     * The plan of one stage.
     *
     * @param stage a name from {@link Stages}
     * @return its plan
     * @throws IllegalArgumentException for an unknown stage
     */
    public StagePlan stage(String stage)
    {
        return stages.get(Stages.order(stage));
    }

    /**
     * Where the plan came from, e.g. the file path or {@code default for usable CPUs 0-1 ...}.
     *
     * @return a description
     */
    public String source()
    {
        return source;
    }

    @Override
    public String toString()
    {
        return "mode=" + mode.fileName() + " topology=" + topology.map(Topology::fileName).orElse("default") + " "
            + stages.stream()
                .map(stage -> stage.stage() + "(cpu=" + stage.cpuText() + ", wait=" + stage.waitStrategy().fileName()
                    + ", nice=" + stage.nice() + ")")
                .collect(Collectors.joining(" "));
    }
}
