package io.stockflow.affinity;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a plan asks for one stage: a CPU to pin its thread to (or none), and how it waits.
 * (The component is {@code waitStrategy}, not {@code wait}: a record accessor {@code wait()}
 * would clash with {@link Object#wait()}.)
 *
 * @param stage        a name from {@link Stages}
 * @param cpu          the CPU asked for, or empty for an unpinned thread
 * @param waitStrategy the wait strategy asked for
 */
public record StagePlan(String stage, OptionalInt cpu, WaitStrategyKind waitStrategy)
{
    /**
     * Checks the stage is known and the CPU is not negative.
     *
     * @param stage        a name from {@link Stages}
     * @param cpu          the CPU asked for, or empty
     * @param waitStrategy the wait strategy asked for
     */
    public StagePlan
    {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        Stages.order(stage);
        if (cpu.isPresent() && cpu.getAsInt() < 0)
        {
            throw new IllegalArgumentException("stage " + stage + ": CPU " + cpu.getAsInt() + " is negative");
        }
    }

    /**
     * A stage pinned to one CPU.
     *
     * @param stage the stage
     * @param cpu   the CPU
     * @param wait  the wait strategy
     * @return the stage plan
     */
    public static StagePlan pinned(String stage, int cpu, WaitStrategyKind wait)
    {
        return new StagePlan(stage, OptionalInt.of(cpu), wait);
    }

    /**
     * A stage left to the scheduler.
     *
     * @param stage the stage
     * @param wait  the wait strategy
     * @return the stage plan
     */
    public static StagePlan unpinned(String stage, WaitStrategyKind wait)
    {
        return new StagePlan(stage, OptionalInt.empty(), wait);
    }

    /**
     * The CPU as written in plan files and tables.
     *
     * @return the CPU number or {@code none}
     */
    public String cpuText()
    {
        return cpu.isPresent() ? Integer.toString(cpu.getAsInt()) : "none";
    }
}
