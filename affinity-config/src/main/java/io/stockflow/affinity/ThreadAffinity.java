package io.stockflow.affinity;

import net.openhft.affinity.Affinity;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Binds the calling thread and checks, by reading the mask back, what the kernel really applied.
 *
 * <p>Binding goes through {@code Affinity.setAffinity(BitSet)}, a plain {@code sched_setaffinity}
 * on the calling thread, and not {@code AffinityLock}: the lock never hands out CPU 0, keeps lock
 * files, and when no CPU is reservable only logs a warning and returns an unbound lock.
 * {@code setAffinity} itself is silent when OpenHFT falls back to its dummy implementation (no
 * JNA), so the result is always read back. A pinned thread took when its mask is exactly its
 * CPU; an unpinned one when its mask is a non-empty part of the mask it asked for (the kernel may
 * narrow a mask, e.g. when the cpuset shrinks, which is harmless).
 */
final class ThreadAffinity
{
    private ThreadAffinity()
    {
    }

    /**
     * Applies a stage's CPU choice to the calling thread and reports what took.
     *
     * @param mode         {@link AffinityMode#OFF} leaves the mask alone and only reads it
     * @param cpu          the CPU to pin to, or empty to reset the thread to {@code unpinnedCpus}
     * @param unpinnedCpus the mask of an unpinned thread, so it does not inherit a pinned creator's
     * @param binder       how to set and read masks
     * @return the binding; with a problem when the mask read back is not the one asked for. In
     *         {@link AffinityMode#BEST_EFFORT} a failed pin is followed by a reset to
     *         {@code unpinnedCpus}, and the binding reports the mask after that reset.
     */
    static ThreadBinding bindCurrentThread(AffinityMode mode, OptionalInt cpu, CpuSet unpinnedCpus, CpuBinder binder)
    {
        String name = Thread.currentThread().getName();
        if (mode == AffinityMode.OFF)
        {
            return new ThreadBinding(name, threadId(), cpu, binder.currentThreadCpus(), Optional.empty());
        }
        CpuSet wanted = cpu.isPresent() ? CpuSet.of(cpu.getAsInt()) : unpinnedCpus;
        Optional<String> failure = trySet(wanted, binder);
        CpuSet obtained = binder.currentThreadCpus();
        boolean took = cpu.isPresent() ? obtained.equals(wanted) : !obtained.isEmpty() && wanted.containsAll(obtained);
        Optional<String> problem = failure.or(() -> took
            ? Optional.empty()
            : Optional.of("binding to CPUs " + wanted + " did not take: thread runs on " + obtained
                + " (" + binder.describe() + ")"));
        if (problem.isPresent() && cpu.isPresent() && mode == AffinityMode.BEST_EFFORT)
        {
            trySet(unpinnedCpus, binder);
            return new ThreadBinding(name, threadId(), cpu, binder.currentThreadCpus(),
                Optional.of(problem.get() + "; runs unpinned"));
        }
        return new ThreadBinding(name, threadId(), cpu, obtained, problem);
    }

    private static Optional<String> trySet(CpuSet cpus, CpuBinder binder)
    {
        try
        {
            binder.bindCurrentThread(cpus);
            return Optional.empty();
        }
        catch (RuntimeException | LinkageError e)
        {
            return Optional.of("setting CPUs " + cpus + " failed: " + e.getMessage());
        }
    }

    private static int threadId()
    {
        try
        {
            return Affinity.getThreadId();
        }
        catch (RuntimeException | LinkageError e)
        {
            return -1;
        }
    }
}
