package io.stockflow.engine.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.stockflow.engine.rules.ExpiryListener;

import java.time.Duration;
import java.util.List;

/**
 * How the engine's stages are wired behind the ring: which stage journals, which
 * applies the rules, which releases outcomes, and which waits for which. Every
 * topology keeps the same guarantees (DESIGN.md): an outcome is released only once
 * its event is journaled at the configured durability and applied, in sequence
 * order; a stage's failure halts the engine fail-stop.
 *
 * <p>{@link ParallelPipeline} journals and applies in parallel (journal ∥ logic →
 * outcome). A topology is built complete by its constructor from
 * {@link PipelineParts} (the wiring reads in one place), then started once and
 * stopped once.
 *
 * <p><b>Threading.</b> The engine's start and close calls (one thread at a time)
 * call every method but {@link #releasedSequence()}, which any thread may read;
 * the single writer publishes into {@link #ring()}.
 */
public interface PipelineTopology
{
    /** @return the ring the single writer claims and publishes slots in. */
    RingBuffer<CommandSlot> ring();

    /**
     * @return the stage the rules report expiries to, on the thread that applies the rules: the
     *         engine points its expiry relay there before {@link #start()}.
     */
    ExpiryListener expiryListener();

    /**
     * Starts every stage thread; returns once all run and are bound to their CPUs.
     *
     * @throws IllegalStateException when a stage failed to start in time.
     */
    void start();

    /** @return the ring sequence up to which every slot went through the last stage. */
    long releasedSequence();

    /**
     * Waits until every published slot went through the last stage.
     *
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     * @return true when drained, false on halt or when the deadline passed first.
     */
    boolean drain(long deadlineNs);

    /**
     * Halts every stage and joins its thread.
     *
     * @param timeout how long the joins may take together.
     * @return true when every stage thread stopped.
     */
    boolean stop(Duration timeout);

    /** @return the names of the stage threads still alive after {@link #stop}. */
    List<String> aliveThreads();

    /**
     * Fails every query in the ring whose answer was not released, so no caller waits on it
     * forever: once {@link #stop} returned true, and when a stage halts (any thread; the slots
     * up to the cursor are published and the ring is gated on the releasing stage, so they stay
     * put; a query racing its own release completes once, either way).
     *
     * @param reason what each such query fails with.
     */
    void failUnansweredQueries(IllegalStateException reason);
}
