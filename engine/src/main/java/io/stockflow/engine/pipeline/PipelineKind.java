package io.stockflow.engine.pipeline;

/**
 * The topologies an engine can run, each a {@link PipelineTopology} built from the
 * same {@link PipelineParts}.
 */
public enum PipelineKind
{
    /** Journal ∥ logic → outcome, three stage threads ({@link ParallelPipeline}); the default. */
    PARALLEL
    {
        @Override
        public PipelineTopology build(final PipelineParts parts)
        {
            return new ParallelPipeline(parts);
        }
    },

    /** One stage thread that journals, applies, commits per batch, then releases ({@link FusedPipeline}). */
    FUSED
    {
        @Override
        public PipelineTopology build(final PipelineParts parts)
        {
            return new FusedPipeline(parts);
        }
    };

    /**
     * @param parts what start-up opened and recovered.
     * @return the topology, built and not started.
     */
    public abstract PipelineTopology build(PipelineParts parts);
}
