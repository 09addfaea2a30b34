package io.stockflow.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.stockflow.engine.command.AdmissionClass;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.pipeline.CommandSlot;
import io.stockflow.engine.pipeline.SharedLifecycle;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Admission control and slot claim for the publisher (docs/DOMAIN.md "Admission
 * classes"): refuses every publish while the engine is not RUNNING, sheds a class
 * when the ring's free capacity is below that class's watermark (NORMAL below the
 * normal one, HIGH below the high one, CRITICAL never), and otherwise claims a slot,
 * failing fast or waiting up to the publish timeout when the ring is full. Each
 * BACKPRESSURE refusal goes to {@link BackpressureEpisodes}.
 *
 * <p>It also keeps the shadow state within the shadow lag limit
 * ({@link EngineConfig#shadowLagLimit()}): a NORMAL or HIGH command that would take the
 * publisher more than the limit ahead of the shadow state's applied sequence is refused
 * with BACKPRESSURE, so under a load the machine cannot sustain with snapshots on, the
 * newest snapshot stays within a bounded distance of the journal's end. The shadow's
 * sequence is read (a volatile load) only when the last one read is the limit behind, as
 * the Disruptor's producers cache their gating sequence.
 *
 * <p><b>Threading.</b> The publisher's owner thread only (it claims on a
 * single-producer ring), except {@link #finishEpisode()} once no publish is in flight.
 */
final class RingAdmission
{
    private static final int SPIN_ROUNDS = 100;
    private static final int YIELD_ROUNDS = 200;
    private static final long PARK_NANOS = 50_000;

    private final RingBuffer<CommandSlot> ring;
    private final SharedLifecycle lifecycle;
    private final CountersFile counters;
    /** Indexed by {@link AdmissionClass#ordinal()}: the free slots below which the class is shed. */
    private final long[] minFreeByClass = new long[AdmissionClass.values().length];
    /** Indexed by {@link AdmissionClass#ordinal()}: the counter of the class's BACKPRESSURE refusals. */
    private final EngineCounter[] refusedByClass = new EngineCounter[AdmissionClass.values().length];
    private final long publishTimeoutNs;
    private final boolean counting;
    private final BackpressureEpisodes episodes;
    private final LongSupplier shadowApplied;
    private final long shadowLagLimit;
    /** The shadow state's applied sequence as last read; a lower bound of the current one. */
    private long shadowAppliedSeen;

    /**
     * @param ring      the ring to claim slots in.
     * @param lifecycle the engine's state.
     * @param counters  where refusals and the lowest free capacity are counted.
     * @param config    watermarks, publish timeout, shadow lag limit and whether to count the free capacity.
     * @param shadowApplied the shadow state's applied sequence ({@link Long#MAX_VALUE} when there is none
     *                  to wait for), readable from the publisher's thread.
     */
    RingAdmission(
        final RingBuffer<CommandSlot> ring,
        final SharedLifecycle lifecycle,
        final CountersFile counters,
        final EngineConfig config,
        final LongSupplier shadowApplied)
    {
        this.ring = ring;
        this.lifecycle = lifecycle;
        this.counters = counters;
        final int size = ring.getBufferSize();
        minFreeByClass[AdmissionClass.NORMAL.ordinal()] = (long)Math.ceil(config.normalWatermark() * size);
        minFreeByClass[AdmissionClass.HIGH.ordinal()] = (long)Math.ceil(config.highWatermark() * size);
        minFreeByClass[AdmissionClass.CRITICAL.ordinal()] = 0;
        refusedByClass[AdmissionClass.NORMAL.ordinal()] = EngineCounter.REFUSED_BACKPRESSURE_NORMAL;
        refusedByClass[AdmissionClass.HIGH.ordinal()] = EngineCounter.REFUSED_BACKPRESSURE_HIGH;
        refusedByClass[AdmissionClass.CRITICAL.ordinal()] = EngineCounter.REFUSED_BACKPRESSURE_CRITICAL;
        this.publishTimeoutNs = config.publishTimeout().toNanos();
        this.counting = config.counters();
        this.episodes = new BackpressureEpisodes(counters);
        this.shadowApplied = shadowApplied;
        this.shadowLagLimit = config.periodicSnapshots() ? config.shadowLagLimit() : 0;
        counters.set(EngineCounter.SHADOW_LAG_LIMIT, shadowLagLimit);
    }

    /**
     * Admits and claims: a ring sequence to fill and publish, or a refusal.
     *
     * @param admissionClass the class of what is published.
     * @param wait           true to wait up to the publish timeout when the ring is full.
     * @param sequence       the journal sequence the command would get.
     * @return a ring sequence ({@code >= 0}) or a refusal ({@code < 0}).
     */
    long claim(final AdmissionClass admissionClass, final boolean wait, final long sequence)
    {
        final EngineLifecycle state = lifecycle.get();
        if (state != EngineLifecycle.RUNNING)
        {
            return refuseForState(state);
        }
        final long free = ring.remainingCapacity();
        if (counting)
        {
            counters.min(EngineCounter.RING_FREE_MIN, free);
        }
        if (free < minFreeByClass[admissionClass.ordinal()])
        {
            return episodes.refuse(refusedByClass[admissionClass.ordinal()], free);
        }
        if (shadowLagLimit > 0 && admissionClass != AdmissionClass.CRITICAL && beyondShadowLagLimit(sequence))
        {
            return episodes.refuse(EngineCounter.REFUSED_SHADOW_LAG, free);
        }
        long ringSequence;
        try
        {
            ringSequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            ringSequence = wait ? waitForSlot(admissionClass)
                : episodes.refuse(refusedByClass[admissionClass.ordinal()], 0);
        }
        if (ringSequence >= 0)
        {
            episodes.slotClaimed();
        }
        return ringSequence;
    }

    /** True when {@code sequence} would be more than the limit ahead of the shadow state. */
    private boolean beyondShadowLagLimit(final long sequence)
    {
        if (sequence - shadowAppliedSeen <= shadowLagLimit)
        {
            return false;
        }
        shadowAppliedSeen = shadowApplied.getAsLong();
        return sequence - shadowAppliedSeen > shadowLagLimit;
    }

    private long waitForSlot(final AdmissionClass admissionClass)
    {
        final long deadline = System.nanoTime() + publishTimeoutNs;
        int idleRounds = 0;
        while (true)
        {
            final EngineLifecycle state = lifecycle.get();
            if (state != EngineLifecycle.RUNNING)
            {
                return refuseForState(state);
            }
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    return episodes.refuse(refusedByClass[admissionClass.ordinal()], 0);
                }
                // Spin briefly, then yield, then park: a full ring drains in microseconds
                // when the stages are healthy, but a stalled disk must not burn a core.
                if (++idleRounds < SPIN_ROUNDS)
                {
                    Thread.onSpinWait();
                }
                else if (idleRounds < YIELD_ROUNDS)
                {
                    Thread.yield();
                }
                else
                {
                    LockSupport.parkNanos(PARK_NANOS);
                }
            }
        }
    }

    private long refuseForState(final EngineLifecycle state)
    {
        switch (state)
        {
            case HALTED:
                counters.add(EngineCounter.REFUSED_HALTED, 1);
                return PublishRefusal.ENGINE_HALTED;
            case NEW:
            case STARTING:
                return PublishRefusal.ENGINE_NOT_STARTED;
            default:
                counters.add(EngineCounter.REFUSED_STOPPING, 1);
                return PublishRefusal.ENGINE_STOPPING;
        }
    }

    /** Ends a back-pressure episode still open when the engine closes; once no publish is in flight. */
    void finishEpisode()
    {
        episodes.finish();
    }
}
