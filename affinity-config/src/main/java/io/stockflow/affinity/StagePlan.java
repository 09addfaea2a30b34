package io.stockflow.affinity;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a plan asks for one stage: a CPU to pin its thread to (or none), how it waits, and how
 * far below the process's own scheduling priority its threads run.
 * (The component is {@code waitStrategy}, not {@code wait}: a record accessor {@code wait()}
 * would clash with {@link Object#wait()}.)
 *
 * <p>{@code nice} works like the {@code nice} command's increment: the stage's threads run at
 * the process's nice value plus {@code nice}, capped at {@value ThreadNice#MAX_NICE}. Only
 * {@value #MIN_NICE} to {@value ThreadNice#MAX_NICE} is accepted: a negative value would raise
 * the priority above the process's, which needs privileges an engine should not assume.
 *
 * @param stage        a name from {@link Stages}
 * @param cpu          the CPU asked for, or empty for an unpinned thread
 * @param waitStrategy the wait strategy asked for
 * @param nice         how many nice steps below the process the stage's threads run
 */
public record StagePlan(String stage, OptionalInt cpu, WaitStrategyKind waitStrategy, int nice)
{
    /** The lowest nice a stage may ask: the process's own priority. */
    public static final int MIN_NICE = 0;

    /**
     * Checks the stage is known, the CPU is not negative and the nice is in range.
     *
     * @param stage        a name from {@link Stages}
     * @param cpu          the CPU asked for, or empty
     * @param waitStrategy the wait strategy asked for
     * @param nice         the nice increment, {@value #MIN_NICE} to {@value ThreadNice#MAX_NICE}
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
        if (nice < MIN_NICE || nice > ThreadNice.MAX_NICE)
        {
            throw new IllegalArgumentException("stage " + stage + ": nice " + nice + " is outside " + MIN_NICE + ".."
                + ThreadNice.MAX_NICE);
        }
    }

    /**
     * A stage at the process's own priority (nice 0).
     *
     * @param stage        a name from {@link Stages}
     * @param cpu          the CPU asked for, or empty
     * @param waitStrategy the wait strategy asked for
     */
    public StagePlan(String stage, OptionalInt cpu, WaitStrategyKind waitStrategy)
    {
        this(stage, cpu, waitStrategy, MIN_NICE);
    }

    /**
     * This stage plan with another nice.
     *
     * @param other the nice increment, {@value #MIN_NICE} to {@value ThreadNice#MAX_NICE}
     * @return the new stage plan
     */
    public StagePlan withNice(int other)
    {
        return new StagePlan(stage, cpu, waitStrategy, other);
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
