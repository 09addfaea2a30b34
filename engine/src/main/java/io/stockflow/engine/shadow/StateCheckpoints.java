package io.stockflow.engine.shadow;

import io.stockflow.engine.rules.StateView;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live state's hash at checkpoint sequences (every {@link #every()}-th
 * sequence), handed from the logic thread to the shadow state's thread without a
 * lock: a small ring of (sequence, hash) slots, each written under a sequence-lock
 * (the slot's sequence is negated while its hash is being written).
 *
 * <p>The ring lets the live logic run up to {@link #SLOTS} checkpoints ahead of the
 * shadow before a checkpoint is overwritten unread; a checkpoint overwritten or not
 * yet published when the shadow asks is simply not compared ({@link #NOT_AVAILABLE}).
 *
 * <p><b>Threading.</b> {@link #publish} belongs to the logic thread (the single
 * writer); {@link #hashAt} may be called from any thread. Neither allocates.
 */
public final class StateCheckpoints
{
    /** Checkpoints held at once; a power of two. */
    public static final int SLOTS = 64;
    /** {@link #hashAt}'s answer when the checkpoint is not (or no longer) in the ring. */
    public static final int NOT_AVAILABLE = 0;
    /** {@link #hashAt}'s answer when the checkpoint is in the ring: read it with {@link #lastHash()}. */
    public static final int AVAILABLE = 1;
    /** {@link #hashAt}'s answer when the live state has not reached the sequence yet. */
    public static final int NOT_YET = 2;

    private static final int MASK = SLOTS - 1;
    // More calls than HotSpot's tiered policy takes to compile a method with its optimizing compiler
    // (Tier4InvocationThreshold 5,000, Tier4CompileThreshold 15,000 with loop back-edges).
    private static final int WARM_UP_CALLS = 20_000;

    private final long every;
    // Slot i: [2i] = sequence (negative while written), [2i + 1] = hash.
    // A plain array under a static VarHandle rather than an AtomicLongArray: one method layer fewer in the
    // logic thread's timed publish, which the JIT compiles straight into its ordered stores.
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] slots = new long[SLOTS * 2];
    // Reader side, one reader thread: the hash the last AVAILABLE answer read.
    private long lastHash;

    /**
     * @param every a checkpoint at every sequence that is a multiple of this, {@code >= 1}.
     */
    public StateCheckpoints(final long every)
    {
        if (every < 1)
        {
            throw new IllegalArgumentException("every=" + every + " must be >= 1");
        }
        this.every = every;
        // Links the ordered accesses now, on the constructing thread, not on the logic thread's first checkpoint.
        publish(0, 0);
        hashAt(0);
    }

    /** @return the checkpoint interval in sequences. */
    public long every()
    {
        return every;
    }

    /**
     * @param sequence a sequence.
     * @return true if it is a checkpoint sequence.
     */
    public boolean isCheckpoint(final long sequence)
    {
        return sequence % every == 0;
    }

    /**
     * @param sequence a sequence.
     * @return the first checkpoint sequence after it.
     */
    public long nextAfter(final long sequence)
    {
        return (sequence / every + 1) * every;
    }

    /**
     * Logic thread: publishes the live state's hash at a checkpoint sequence.
     *
     * @param sequence the checkpoint sequence the state has just applied.
     * @param hash     the state's hash after it.
     */
    public void publish(final long sequence, final long hash)
    {
        final int slot = (int)((sequence / every) & MASK) * 2;
        SLOT.setRelease(slots, slot, -sequence);
        SLOT.setRelease(slots, slot + 1, hash);
        SLOT.setRelease(slots, slot, sequence);
    }

    /**
     * Logic thread: reads the live state's hash and publishes it at a checkpoint sequence, timed.
     *
     * @param sequence the checkpoint sequence the state has just applied.
     * @param state    the live state, just after that sequence.
     * @return how long this held the calling thread, ns.
     */
    public long publishTimed(final long sequence, final StateView state)
    {
        final long start = System.nanoTime();
        publish(sequence, state.stateHash());
        return System.nanoTime() - start;
    }

    /**
     * Logic thread, before its first event: runs {@link #publishTimed} on a scratch ring (this ring is not
     * touched) until the JIT has compiled it. The live path runs once every {@link #every()} events, so
     * without this it would still be in the interpreter or a profiling tier well into a run, and each tier
     * change (a new compilation, a call site relinked to it) lands inside the timed window: the longest
     * hold of a {@code bench throughput} run on 2 CPUs was 1.3 to 5.5 ms, for a window that takes well under
     * a microsecond. With it, a median of 22 us over 29 runs (BENCHMARKS.md, 2026-12-05 23:50).
     *
     * @param state the live state; only its hash is read.
     */
    public void warmUp(final StateView state)
    {
        final StateCheckpoints scratch = new StateCheckpoints(every);
        for (int i = 1; i <= WARM_UP_CALLS; i++)
        {
            scratch.publishTimed(i * every, state);
        }
    }

    /**
     * Reads the live hash at a checkpoint sequence; on {@link #AVAILABLE} it is in
     * {@link #lastHash()}. One reader thread.
     *
     * @param sequence a checkpoint sequence.
     * @return {@link #AVAILABLE}, {@link #NOT_YET} or {@link #NOT_AVAILABLE}.
     */
    public int hashAt(final long sequence)
    {
        final int slot = (int)((sequence / every) & MASK) * 2;
        final long before = (long)SLOT.getAcquire(slots, slot);
        final long hash = (long)SLOT.getAcquire(slots, slot + 1);
        final long after = (long)SLOT.getAcquire(slots, slot);
        if (before == sequence && after == sequence)
        {
            lastHash = hash;
            return AVAILABLE;
        }
        // Being written, or an older checkpoint still in the slot: the live state is not there yet.
        return before != after || before < sequence ? NOT_YET : NOT_AVAILABLE;
    }

    /** @return the hash the last {@link #AVAILABLE} answer of {@link #hashAt} read. */
    public long lastHash()
    {
        return lastHash;
    }
}
