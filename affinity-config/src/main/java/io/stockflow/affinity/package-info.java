/**
 * Which CPU each engine stage runs on, how it waits and at which scheduling priority (nice): a
 * human-edited plan, validated against the CPUs this process may really use, applied by thread
 * factories that pin and renice from inside each thread and record what the kernel really gave.
 *
 * <pre>
 *   plan file ──parse──▶ AffinityPlan ─┐
 *   (or AffinityPlan.defaultFor)       ├─ AffinityPlanner.resolve ─▶ EffectivePlan ─▶ toTable()
 *   CpuInventory.detect() ─────────────┘                                │
 *     mask ∩ cpuset ∩ online, isolated       per stage: PinnedThreadFactory, WaitStrategy,
 *                                             ringWaitStrategy() for a shared ring buffer
 *
 *   stage thread start ─▶ sched_setaffinity(own CPU | shared CPUs) ─▶ read back
 *                        ─▶ setpriority(own tid, process nice + stage nice) ─▶ read back
 *                        ─▶ ThreadBinding recorded ─▶ work runs (or, in required mode, not)
 * </pre>
 *
 * <p>The plan file format is documented by {@code example-affinity.properties} in this package's
 * resources.
 */
package io.stockflow.affinity;
