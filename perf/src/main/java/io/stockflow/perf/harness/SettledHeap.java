package io.stockflow.perf.harness;

/**
 * Untimed, before each phase of a benchmark that runs several phases in one JVM: one
 * {@link System#gc()}. A phase builds tables of a few hundred megabytes; once it ends they are
 * unreachable but still in the old generation, and the next phase would otherwise pay for
 * marking and collecting them (concurrent cycles, mixed collections, young pauses of up to
 * 0.3 s on these machines), while a service, or an engine recovering at the start of a new
 * process, pays for its own garbage only. The measurements behind it are in BENCHMARKS.md
 * ("bench recovery on a settled heap", "bench throughput's phases on a settled heap").
 */
public final class SettledHeap
{
    private SettledHeap()
    {
    }

    /** Collects the whole heap before a phase starts its clock. */
    public static void collect()
    {
        System.gc();
    }
}
