package io.stockflow.affinity;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one thread really obtained, read back from the kernel after it tried to bind its CPUs and
 * set its nice.
 *
 * @param threadName   the thread's name
 * @param threadId     the Linux thread id, or -1 when it could not be read
 * @param cpuAsked     the CPU the thread tried to pin to, or empty when it was meant to be unpinned
 * @param cpusObtained the CPUs the kernel reports the thread may run on after binding
 * @param niceAsked    the stage's nice increment over the process's nice
 * @param niceObtained the thread's nice read back from the kernel, or empty when it could not be read
 * @param problem      why the binding did not give what was asked, or empty when it did
 */
public record ThreadBinding(String threadName, int threadId, OptionalInt cpuAsked, CpuSet cpusObtained,
    int niceAsked, OptionalInt niceObtained, Optional<String> problem)
{
    /**
     * Checks that no component is null.
     *
     * @param threadName   the thread's name
     * @param threadId     the Linux thread id, or -1
     * @param cpuAsked     the CPU asked for, or empty
     * @param cpusObtained the CPUs obtained
     * @param niceAsked    the nice increment asked for
     * @param niceObtained the nice read back, or empty
     * @param problem      the problem, or empty
     */
    public ThreadBinding
    {
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(cpuAsked, "cpuAsked");
        Objects.requireNonNull(cpusObtained, "cpusObtained");
        Objects.requireNonNull(niceObtained, "niceObtained");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * A CPU binding before any nice was applied.
     *
     * @param threadName   the thread's name
     * @param threadId     the Linux thread id, or -1
     * @param cpuAsked     the CPU asked for, or empty
     * @param cpusObtained the CPUs obtained
     * @param problem      the problem, or empty
     */
    public ThreadBinding(String threadName, int threadId, OptionalInt cpuAsked, CpuSet cpusObtained,
        Optional<String> problem)
    {
        this(threadName, threadId, cpuAsked, cpusObtained, 0, OptionalInt.empty(), problem);
    }

    ThreadBinding withNice(int asked, ThreadNice.Result nice)
    {
        Optional<String> problems = problem.isEmpty()
            ? nice.problem()
            : Optional.of(problem.get() + nice.problem().map(niceProblem -> "; " + niceProblem).orElse(""));
        return new ThreadBinding(threadName, threadId, cpuAsked, cpusObtained, asked, nice.obtained(), problems);
    }

    /**
     * Whether the thread got what it asked for.
     *
     * @return true when there is no problem
     */
    public boolean bound()
    {
        return problem.isEmpty();
    }
}
