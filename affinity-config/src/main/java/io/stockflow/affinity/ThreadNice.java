package io.stockflow.affinity;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Lowers the calling thread's scheduling priority (its Linux nice value) and reads it back.
 *
 * <p>On Linux, nice is per thread: {@code setpriority(PRIO_PROCESS, tid, n)} on a thread id sets
 * that thread's value only. A stage asks for an increment over the process's nice (the main
 * thread's, which {@code nice -n} and {@code renice} set), so a plan means the same under
 * {@code nice -n 15 java ...} as without, and never needs the privilege to raise a priority. As
 * for the CPU binding, what the kernel applied is read back ({@code getpriority}) and a value that
 * did not take is reported, never assumed. Called only from the thread it changes.
 */
final class ThreadNice
{
    /** The lowest priority Linux gives a thread. */
    static final int MAX_NICE = 19;

    private static final int PRIO_PROCESS = 0;

    private ThreadNice()
    {
    }

    /** The C library calls for a thread's scheduling, bound by JNA (on the class path through OpenHFT Affinity). */
    interface CLibrary extends Library
    {
        int setpriority(int which, int who, int prio) throws LastErrorException;

        int getpriority(int which, int who) throws LastErrorException;

        int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;
    }

    /**
     * Loaded on first use, so a machine without the C library fails only when a nice (or a timer
     * slack, {@link ThreadTimerSlack}) is applied.
     */
    static final class Libc
    {
        static final CLibrary C = Native.load("c", CLibrary.class);
    }

    /**
     * What the thread's nice became.
     *
     * @param obtained the nice read back, or empty when it could not be read
     * @param problem  why it is not the one asked for, or empty when it is
     */
    record Result(OptionalInt obtained, Optional<String> problem)
    {}

    /**
     * The nice value a stage's thread should have.
     *
     * @param processNice the process's nice
     * @param increment   the stage's nice from the plan
     * @return their sum, capped at {@value #MAX_NICE}
     */
    static int target(int processNice, int increment)
    {
        return Math.min(MAX_NICE, processNice + increment);
    }

    /**
     * Sets the calling thread's nice to the process's plus {@code increment} and reads it back.
     * A thread already at that value is left alone, so an increment of 0 makes no system call
     * that could fail on a system without {@code setpriority}.
     *
     * @param mode      {@link AffinityMode#OFF} leaves the nice as inherited and only reads it
     * @param increment the stage's nice from the plan
     * @param threadId  the calling thread's Linux thread id, or -1 when unknown
     * @return what took
     */
    static Result applyToCurrentThread(AffinityMode mode, int increment, int threadId)
    {
        OptionalInt before = read(threadId);
        if (mode == AffinityMode.OFF)
        {
            return new Result(before, Optional.empty());
        }
        OptionalInt processNice = read((int)ProcessHandle.current().pid());
        if (processNice.isEmpty() || before.isEmpty())
        {
            return new Result(before, increment == 0
                ? Optional.empty()
                : Optional.of("nice " + increment + " not applied: cannot read the thread's priority (not Linux?)"));
        }
        int wanted = target(processNice.getAsInt(), increment);
        if (before.getAsInt() == wanted)
        {
            return new Result(before, Optional.empty());
        }
        Optional<String> failure;
        try
        {
            Libc.C.setpriority(PRIO_PROCESS, threadId, wanted);
            failure = Optional.empty();
        }
        catch (RuntimeException | LinkageError e)
        {
            failure = Optional.of("setting nice " + wanted + " failed: " + e.getMessage());
        }
        OptionalInt after = read(threadId);
        boolean took = after.isPresent() && after.getAsInt() == wanted;
        return new Result(after, failure.or(() -> took
            ? Optional.empty()
            : Optional.of("nice " + wanted + " did not take: thread runs at nice "
                + (after.isPresent() ? Integer.toString(after.getAsInt()) : "unknown"))));
    }

    /**
     * A thread's nice as the kernel reports it.
     *
     * @param threadId a Linux thread id (a process id reads its main thread)
     * @return the nice, or empty when the id is unknown or the call is unavailable
     */
    static OptionalInt read(int threadId)
    {
        if (threadId < 0)
        {
            return OptionalInt.empty();
        }
        try
        {
            return OptionalInt.of(Libc.C.getpriority(PRIO_PROCESS, threadId));
        }
        catch (RuntimeException | LinkageError e)
        {
            return OptionalInt.empty();
        }
    }
}
