package io.stockflow.affinity;

import com.lmax.disruptor.WaitStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Makes the threads of one stage, each bound to the stage's CPU from inside the thread before
 * its work starts, lowered to the stage's nice (see {@link StagePlan}), and records what every
 * thread really obtained.
 *
 * <p>Why inside: {@code sched_setaffinity} on the calling thread is the only binding OpenHFT
 * offers without lock bookkeeping, and binding before the work starts means no event is ever
 * handled on the wrong CPU. The thread then reads its mask and its nice back ({@link ThreadBinding}).
 * A binding that did not take is, in {@link AffinityMode#REQUIRED} mode, fatal for the thread:
 * its work never runs, and {@link #awaitBindings} reports the failure to whoever started it. In
 * {@link AffinityMode#BEST_EFFORT} the thread is reset to the shared CPUs, the fallback is
 * recorded and logged once, and the work runs.
 *
 * <p>Linux threads inherit the creating thread's affinity mask. So an unpinned stage thread is
 * explicitly reset to {@link EffectivePlan#unpinnedCpus()} (it may have been created by a pinned
 * caller), and a thread a pinned stage creates would inherit that stage's single CPU: create
 * such helper threads with {@link #unpinnedThreadFactory} or {@link EffectivePlan#helperThreadFactory}.
 *
 * <p>Names say stage and CPU: {@code stockflow-journal-cpu1}, {@code stockflow-logic-unpinned};
 * a second thread of the same factory gets a {@code -2} suffix. Every thread made is kept, so
 * {@link #joinAll} and {@link #liveThreads} let a test prove none leaked. Thread-safe.
 */
public final class PinnedThreadFactory implements ThreadFactory
{
    private static final Logger LOG = LoggerFactory.getLogger(PinnedThreadFactory.class);

    private final String name;
    private final String threadNamePrefix;
    private final OptionalInt cpu;
    private final int nice;
    private final AffinityMode mode;
    private final CpuSet unpinnedCpus;
    private final WaitStrategy waitStrategy;
    private final CpuBinder binder;
    private final AtomicInteger created = new AtomicInteger();
    private final List<StageThread> threads = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<ThreadBinding>> pendingBindings = new CopyOnWriteArrayList<>();
    private final List<ThreadBinding> bindings = new CopyOnWriteArrayList<>();

    private PinnedThreadFactory(String name, OptionalInt cpu, int nice, AffinityMode mode, CpuSet unpinnedCpus,
        WaitStrategy waitStrategy, CpuBinder binder)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.cpu = cpu;
        this.nice = nice;
        this.mode = mode;
        this.unpinnedCpus = unpinnedCpus;
        this.waitStrategy = waitStrategy;
        this.binder = binder;
        this.threadNamePrefix = "stockflow-" + name + "-" + (cpu.isPresent() ? "cpu" + cpu.getAsInt() : "unpinned");
    }

    static PinnedThreadFactory forStage(String stage, OptionalInt cpu, AffinityMode mode, CpuSet unpinnedCpus,
        WaitStrategy waitStrategy, CpuBinder binder)
    {
        return forStage(stage, cpu, 0, mode, unpinnedCpus, waitStrategy, binder);
    }

    static PinnedThreadFactory forStage(String stage, OptionalInt cpu, int nice, AffinityMode mode,
        CpuSet unpinnedCpus, WaitStrategy waitStrategy, CpuBinder binder)
    {
        return new PinnedThreadFactory(stage, cpu, nice, mode, unpinnedCpus, waitStrategy, binder);
    }

    /**
     * A factory for helper threads that must not inherit a pinned creator's CPU: each thread
     * resets its own mask to {@link CpuInventory#shared()} before its work starts. A reset that does not
     * take is logged and recorded, and the work still runs.
     *
     * @param name the role, used in thread names ({@code stockflow-<name>-unpinned})
     * @param cpus the machine, whose shared CPUs are the reset mask
     * @return the factory
     */
    public static PinnedThreadFactory unpinnedThreadFactory(String name, CpuInventory cpus)
    {
        return unpinnedThreadFactory(name, cpus.shared());
    }

    static PinnedThreadFactory unpinnedThreadFactory(String name, CpuSet cpus)
    {
        return unpinnedThreadFactory(name, cpus, 0);
    }

    static PinnedThreadFactory unpinnedThreadFactory(String name, CpuSet cpus, int nice)
    {
        return new PinnedThreadFactory(name, OptionalInt.empty(), nice, AffinityMode.BEST_EFFORT, cpus, null,
            CpuBinder.OPENHFT);
    }

    /**
     * As {@link #unpinnedThreadFactory(String, CpuInventory)} on {@link CpuInventory#detect()}.
     *
     * @param name the role, used in thread names
     * @return the factory
     */
    public static PinnedThreadFactory unpinnedThreadFactory(String name)
    {
        return unpinnedThreadFactory(name, CpuInventory.detect());
    }

    /**
     * A new, not yet started thread that binds itself when started, then runs {@code work}.
     *
     * @param work what the thread does once bound
     * @return the thread
     */
    @Override
    public Thread newThread(Runnable work)
    {
        Objects.requireNonNull(work, "work");
        int number = created.incrementAndGet();
        String threadName = number == 1 ? threadNamePrefix : threadNamePrefix + "-" + number;
        CompletableFuture<ThreadBinding> binding = new CompletableFuture<>();
        StageThread thread = new StageThread(() -> bindThenRun(work, binding), threadName, waitStrategy);
        threads.add(thread);
        pendingBindings.add(binding);
        return thread;
    }

    private void bindThenRun(Runnable work, CompletableFuture<ThreadBinding> future)
    {
        ThreadBinding binding;
        try
        {
            binding = ThreadAffinity.bindCurrentThread(mode, cpu, unpinnedCpus, binder);
        }
        catch (RuntimeException | LinkageError e)
        {
            binding = new ThreadBinding(Thread.currentThread().getName(), -1, cpu, CpuSet.empty(),
                Optional.of("binding failed: " + e));
        }
        binding = binding.withNice(nice, ThreadNice.applyToCurrentThread(mode, nice, binding.threadId()));
        bindings.add(binding);
        future.complete(binding);
        if (!binding.bound())
        {
            if (mode == AffinityMode.REQUIRED)
            {
                LOG.error("thread {} of stage {} not started: {}", binding.threadName(), name,
                    binding.problem().orElseThrow());
                return;
            }
            LOG.warn("affinity fallback: thread {} of stage {}: {}", binding.threadName(), name,
                binding.problem().orElseThrow());
        }
        work.run();
    }

    /**
     * Waits until every thread made so far has started and bound itself (or failed to).
     * Call it after starting the threads, e.g. after {@code Disruptor.start()}.
     *
     * @param timeout how long to wait for all of them together
     * @return the bindings, one per thread that reported
     * @throws AffinityPlanException in {@link AffinityMode#REQUIRED} mode when a binding did not
     *                               take or a thread did not report within the timeout; those
     *                               threads did not run their work
     * @throws InterruptedException  when interrupted while waiting
     */
    public List<ThreadBinding> awaitBindings(Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ThreadBinding> reported = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < pendingBindings.size(); i++)
        {
            CompletableFuture<ThreadBinding> pending = pendingBindings.get(i);
            try
            {
                ThreadBinding binding = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                reported.add(binding);
                binding.problem().ifPresent(problem -> problems.add("stage " + name + ": thread "
                    + binding.threadName() + ": " + problem));
            }
            catch (TimeoutException e)
            {
                problems.add("stage " + name + ": thread " + threads.get(i).getName()
                    + " did not report its CPU binding and nice within " + timeout + " (not started?)");
            }
            catch (ExecutionException e)
            {
                throw new IllegalStateException("binding future completed exceptionally", e);
            }
        }
        if (mode == AffinityMode.REQUIRED && !problems.isEmpty())
        {
            throw new AffinityPlanException("CPU binding or nice failed in required mode", problems);
        }
        return reported;
    }

    /**
     * The bindings reported so far, in the order the threads bound.
     *
     * @return a snapshot of the bindings
     */
    public List<ThreadBinding> bindings()
    {
        return List.copyOf(bindings);
    }

    /**
     * Every thread this factory made, started or not.
     *
     * @return a snapshot of the threads
     */
    public List<Thread> threads()
    {
        return List.copyOf(threads);
    }

    /**
     * The threads this factory made that are still alive.
     *
     * @return a snapshot of the live threads
     */
    public List<Thread> liveThreads()
    {
        return threads.stream().filter(Thread::isAlive).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Waits for every thread this factory made to end.
     *
     * @param timeout how long to wait for all of them together
     * @return true when none is alive any more
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean joinAll(Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads)
        {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis > 0)
            {
                thread.join(leftMillis);
            }
        }
        return liveThreads().isEmpty();
    }

    /**
     * The stage or helper role this factory serves.
     *
     * @return the name
     */
    public String name()
    {
        return name;
    }

    /**
     * The CPU threads are pinned to.
     *
     * @return the CPU, or empty for unpinned threads
     */
    public OptionalInt cpu()
    {
        return cpu;
    }

    /**
     * How many nice steps below the process the threads run.
     *
     * @return the nice increment, 0 for the process's own priority
     */
    public int nice()
    {
        return nice;
    }
}
