package io.stockflow.affinity;

import com.lmax.disruptor.WaitStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The plan the engine runs with: for every stage, its validated CPU and wait strategy, its
 * thread factory, and what its threads really obtained. Made by {@link AffinityPlanner#resolve};
 * printed with {@link #toTable()} at engine start and by {@code stockflow affinity}.
 *
 * <p>Use: build the Disruptor with {@link #ringWaitStrategy()} (or a stage's
 * {@link #waitStrategyFor} when a ring has one consumer stage), give each stage's processor a
 * thread from {@link #threadFactoryFor}, start, then {@link #awaitBindings} before accepting
 * input, and after shutdown {@link #joinAll}. Thread-safe.
 */
public final class EffectivePlan
{
    private final AffinityMode mode;
    private final Topology topology;
    private final String topologyReason;
    private final String source;
    private final CpuInventory cpus;
    private final CpuSet unpinnedCpus;
    private final List<EffectiveStage> stages;
    private final WaitStrategy ringWaitStrategy;
    private final List<PinnedThreadFactory> helperFactories = new CopyOnWriteArrayList<>();

    EffectivePlan(AffinityMode mode, Topology topology, String topologyReason, String source, CpuInventory cpus,
        CpuSet unpinnedCpus, List<EffectiveStage> stages)
    {
        this.mode = mode;
        this.topology = topology;
        this.topologyReason = topologyReason;
        this.source = source;
        this.cpus = cpus;
        this.unpinnedCpus = unpinnedCpus;
        this.stages = List.copyOf(stages);
        this.ringWaitStrategy = new StageDispatchingWaitStrategy(this.stages.stream()
            .filter(stage -> stage.waitEffective() == WaitStrategyKind.BLOCKING)
            .map(EffectiveStage::waitStrategy)
            .collect(Collectors.toList()));
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
     * The topology the engine builds: the plan's, or the default for the usable CPUs.
     *
     * @return the topology
     */
    public Topology topology()
    {
        return topology;
    }

    /**
     * Why this topology: {@code asked} when the plan names it, else the default's rule.
     *
     * @return the reason, e.g. {@code default for 2 usable CPUs (parallel from 4)}
     */
    public String topologyReason()
    {
        return topologyReason;
    }

    /**
     * The rows of the stages that run in {@link #topology()}, in pipeline order.
     *
     * @return the rows
     */
    public List<EffectiveStage> runningStages()
    {
        return stages.stream().filter(stage -> topology.runs(stage.stage())).collect(Collectors.toList());
    }

    /**
     * Where the plan came from.
     *
     * @return the plan file path, or a description of the default
     */
    public String source()
    {
        return source;
    }

    /**
     * The CPUs the plan was validated against.
     *
     * @return the inventory
     */
    public CpuInventory cpus()
    {
        return cpus;
    }

    /**
     * The mask of every unpinned thread this plan makes: the shared CPUs minus those held by
     * pinned busy-spinning stages. A caller may confine its publisher thread to it too.
     *
     * @return the CPUs for unpinned threads
     */
    public CpuSet unpinnedCpus()
    {
        return unpinnedCpus;
    }

    /**
     * Every stage, in pipeline order.
     *
     * @return the rows
     */
    public List<EffectiveStage> stages()
    {
        return stages;
    }

    /**
     * One stage's row.
     *
     * @param stage a name from {@link Stages}
     * @return the row
     * @throws IllegalArgumentException for an unknown stage
     */
    public EffectiveStage stage(String stage)
    {
        return stages.get(Stages.order(stage));
    }

    /**
     * The wait strategy of one stage; the same instance on every call.
     *
     * @param stage a name from {@link Stages}
     * @return the stage's strategy
     */
    public WaitStrategy waitStrategyFor(String stage)
    {
        return stage(stage).waitStrategy();
    }

    /**
     * A wait strategy for a ring buffer shared by several stages: each waiting thread made by
     * this plan's factories waits with its own stage's strategy, any other thread with
     * {@link WaitStrategyKind#SLEEPING}; publishing and halting wake every blocking stage.
     * The same instance on every call.
     *
     * @return the dispatching strategy
     */
    public WaitStrategy ringWaitStrategy()
    {
        return ringWaitStrategy;
    }

    /**
     * The thread factory of one stage; the same instance on every call.
     *
     * @param stage a name from {@link Stages}
     * @return the stage's factory
     */
    public PinnedThreadFactory threadFactoryFor(String stage)
    {
        return stage(stage).threadFactory();
    }

    /**
     * A factory for helper threads (created from a pinned stage or not) that must run on
     * {@link #unpinnedCpus()} instead of inheriting their creator's pin. Helpers are background
     * work, so they run at the {@link Stages#SNAPSHOT} stage's nice ({@link #helperNice()}). Its
     * threads count in {@link #liveThreads()} and {@link #joinAll}.
     *
     * @param name the helper's role, used in thread names
     * @return a new factory
     */
    public PinnedThreadFactory helperThreadFactory(String name)
    {
        PinnedThreadFactory factory = PinnedThreadFactory.unpinnedThreadFactory(name, unpinnedCpus, helperNice());
        helperFactories.add(factory);
        return factory;
    }

    /**
     * The nice increment of the threads of {@link #helperThreadFactory} (the counters sampler,
     * the journal archiver): the {@link Stages#SNAPSHOT} stage's, so one plan line sets every
     * background thread that may lag, and the pretouch stage, which must stay ahead of the
     * writer, keeps its own.
     *
     * @return the nice increment
     */
    public int helperNice()
    {
        return stage(Stages.SNAPSHOT).niceAsked();
    }

    /**
     * Waits until every stage thread made so far has bound (or failed to).
     *
     * @param timeout how long to wait for all of them together
     * @return every binding reported
     * @throws AffinityPlanException in {@link AffinityMode#REQUIRED} mode, listing every binding
     *                               that did not take or was not reported in time
     * @throws InterruptedException  when interrupted while waiting
     */
    public List<ThreadBinding> awaitBindings(Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ThreadBinding> bindings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (EffectiveStage stage : stages)
        {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try
            {
                bindings.addAll(stage.threadFactory().awaitBindings(left));
            }
            catch (AffinityPlanException e)
            {
                problems.addAll(e.reasons());
            }
        }
        if (!problems.isEmpty())
        {
            throw new AffinityPlanException("CPU binding or nice failed in required mode", problems);
        }
        return bindings;
    }

    /**
     * The threads of this plan's stage and helper factories that are still alive.
     *
     * @return a snapshot
     */
    public List<Thread> liveThreads()
    {
        List<Thread> live = new ArrayList<>();
        for (PinnedThreadFactory factory : factories())
        {
            live.addAll(factory.liveThreads());
        }
        return live;
    }

    /**
     * Waits for every thread of this plan's stage and helper factories to end.
     *
     * @param timeout how long to wait for all of them together
     * @return true when none is alive any more
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean joinAll(Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PinnedThreadFactory factory : factories())
        {
            factory.joinAll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return liveThreads().isEmpty();
    }

    private List<PinnedThreadFactory> factories()
    {
        List<PinnedThreadFactory> factories = new ArrayList<>();
        for (EffectiveStage stage : stages)
        {
            factories.add(stage.threadFactory());
        }
        factories.addAll(helperFactories);
        return factories;
    }

    /**
     * Every reason a stage runs differently from its plan, each prefixed with the stage; a stage
     * the topology does not run is listed too when the plan asked a CPU for it.
     *
     * @return the reasons, empty when the plan runs as asked
     */
    public List<String> fallbackReasons()
    {
        List<String> reasons = new ArrayList<>();
        for (EffectiveStage stage : stages)
        {
            for (String reason : stage.fallbackReasons())
            {
                reasons.add("stage " + stage.stage() + ": " + reason);
            }
        }
        return reasons;
    }

    /**
     * The plan as a fixed-width text table: a header line (mode, source, topology and why), a
     * CPUs line, a line with the helper threads' nice, then one row per stage that runs in the
     * topology with CPU asked, CPU obtained ({@code not started} until a thread binds), wait
     * asked, wait effective, nice asked (the increment), nice obtained (the value read back) and
     * fallback reason ({@code -} when none). Lines end with {@code \n}.
     *
     * @return the table
     */
    public String toTable()
    {
        return PlanTable.render(this);
    }

    @Override
    public String toString()
    {
        return toTable();
    }
}
