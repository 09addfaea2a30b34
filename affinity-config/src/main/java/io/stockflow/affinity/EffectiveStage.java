package io.stockflow.affinity;

import com.lmax.disruptor.WaitStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One row of an {@link EffectivePlan}: what a stage asked for, what the planner gave it, and what
 * its threads really obtained once they bound. The asked and planned parts are immutable; the
 * obtained part is filled by the stage's threads and safely readable from any thread.
 */
public final class EffectiveStage
{
    private final StagePlan asked;
    private final OptionalInt cpuPlanned;
    private final WaitStrategyKind waitEffective;
    private final List<String> planFallbacks;
    private final WaitStrategy waitStrategy;
    private final PinnedThreadFactory threadFactory;

    EffectiveStage(StagePlan asked, OptionalInt cpuPlanned, WaitStrategyKind waitEffective,
        List<String> planFallbacks, AffinityMode mode, CpuSet unpinnedCpus)
    {
        this.asked = asked;
        this.cpuPlanned = cpuPlanned;
        this.waitEffective = waitEffective;
        this.planFallbacks = List.copyOf(planFallbacks);
        this.waitStrategy = waitEffective.newWaitStrategy();
        this.threadFactory = PinnedThreadFactory.forStage(asked.stage(), cpuPlanned, asked.nice(), mode, unpinnedCpus,
            waitStrategy, CpuBinder.OPENHFT);
    }

    /**
     * The stage name.
     *
     * @return a name from {@link Stages}
     */
    public String stage()
    {
        return asked.stage();
    }

    /**
     * The CPU the plan asked for.
     *
     * @return the CPU, or empty for none
     */
    public OptionalInt cpuAsked()
    {
        return asked.cpu();
    }

    /**
     * The CPU the stage's threads will pin to after validation.
     *
     * @return the CPU, or empty when unpinned
     */
    public OptionalInt cpuPlanned()
    {
        return cpuPlanned;
    }

    /**
     * The CPUs the stage's first thread really obtained, read back after binding.
     *
     * @return the CPUs, or empty while no thread of the stage has bound
     */
    public Optional<CpuSet> cpusObtained()
    {
        List<ThreadBinding> bindings = threadFactory.bindings();
        return bindings.isEmpty() ? Optional.empty() : Optional.of(bindings.get(0).cpusObtained());
    }

    /**
     * How many nice steps below the process the plan asked the stage's threads to run.
     *
     * @return the nice increment, 0 for the process's own priority
     */
    public int niceAsked()
    {
        return asked.nice();
    }

    /**
     * The nice value the stage's first thread really runs at, read back from the kernel.
     *
     * @return the nice, or empty while no thread of the stage has started or when it could not be read
     */
    public OptionalInt niceObtained()
    {
        List<ThreadBinding> bindings = threadFactory.bindings();
        return bindings.isEmpty() ? OptionalInt.empty() : bindings.get(0).niceObtained();
    }

    /**
     * The wait strategy the plan asked for.
     *
     * @return the kind asked
     */
    public WaitStrategyKind waitAsked()
    {
        return asked.waitStrategy();
    }

    /**
     * The wait strategy the stage runs with.
     *
     * @return the kind after any fallback
     */
    public WaitStrategyKind waitEffective()
    {
        return waitEffective;
    }

    /**
     * Why the stage runs differently from its plan: the planner's fallbacks, then any binding
     * that did not take.
     *
     * @return the reasons, empty when the stage runs as asked
     */
    public List<String> fallbackReasons()
    {
        List<String> reasons = new ArrayList<>(planFallbacks);
        for (ThreadBinding binding : threadFactory.bindings())
        {
            binding.problem().ifPresent(problem -> reasons.add("thread " + binding.threadName() + ": " + problem));
        }
        return List.copyOf(reasons);
    }

    /**
     * Every binding of the stage's threads so far.
     *
     * @return the bindings
     */
    public List<ThreadBinding> bindings()
    {
        return threadFactory.bindings();
    }

    /**
     * The stage's wait strategy: one shared instance, so a blocking stage is woken by the same
     * lock it waits on.
     *
     * @return the strategy
     */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * The factory for the stage's threads.
     *
     * @return the factory
     */
    public PinnedThreadFactory threadFactory()
    {
        return threadFactory;
    }
}
