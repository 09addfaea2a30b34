package io.stockflow.engine.pipeline;

import io.stockflow.affinity.Topology;

/**
 * The topologies an engine can run, each a {@link PipelineTopology} built from the
 * same {@link PipelineParts}: the engine's side of the affinity plan's {@link Topology}.
 */
public enum PipelineKind
{
    /** Journal ∥ logic → outcome, three stage threads ({@link ParallelPipeline}). */
    PARALLEL(Topology.PARALLEL)
    {
        @Override
        public PipelineTopology build(final PipelineParts parts)
        {
            return new ParallelPipeline(parts);
        }
    },

    /** One stage thread that journals, applies, commits per batch, then releases ({@link FusedPipeline}). */
    FUSED(Topology.FUSED)
    {
        @Override
        public PipelineTopology build(final PipelineParts parts)
        {
            return new FusedPipeline(parts);
        }
    };

    private final Topology topology;

    PipelineKind(final Topology topology)
    {
        this.topology = topology;
    }

    /** @return the plan's name of this topology. */
    public Topology topology()
    {
        return topology;
    }

    /**
     * @param topology a plan's topology.
     * @return the kind that builds it.
     */
    public static PipelineKind of(final Topology topology)
    {
        return topology == Topology.FUSED ? FUSED : PARALLEL;
    }

    /**
     * @param parts what start-up opened and recovered.
     * @return the topology, built and not started.
     */
    public abstract PipelineTopology build(PipelineParts parts);
}
