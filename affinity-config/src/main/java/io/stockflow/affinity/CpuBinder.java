package io.stockflow.affinity;

import net.openhft.affinity.Affinity;

import java.nio.file.Path;

/**
 * Sets and reads the calling thread's CPU mask. One implementation binds through OpenHFT
 * Affinity; the seam exists so a test can stand in for OpenHFT's silent dummy implementation,
 * which accepts every binding and applies none.
 */
interface CpuBinder
{
    /** Binds through OpenHFT {@code Affinity.setAffinity}, reads back from {@code /proc}. */
    CpuBinder OPENHFT = new CpuBinder()
    {
        private final Path threadStatus = Path.of("/proc/thread-self/status");

        @Override
        public void bindCurrentThread(CpuSet cpus)
        {
            Affinity.setAffinity(cpus.toBitSet());
        }

        @Override
        public CpuSet currentThreadCpus()
        {
            return CpuInventory.readStatusCpus(threadStatus).orElseGet(() -> CpuSet.fromBitSet(Affinity.getAffinity()));
        }

        @Override
        public String describe()
        {
            return "OpenHFT " + Affinity.getAffinityImpl().getClass().getSimpleName();
        }
    };

    /**
     * Asks the kernel to let the calling thread run only on {@code cpus}.
     *
     * @param cpus the CPUs
     * @throws RuntimeException when the request is refused
     */
    void bindCurrentThread(CpuSet cpus);

    /**
     * The calling thread's mask as the kernel reports it ({@code /proc/thread-self/status}
     * {@code Cpus_allowed_list}, or {@code sched_getaffinity} when {@code /proc} is unreadable).
     *
     * @return the CPUs the thread may run on
     */
    CpuSet currentThreadCpus();

    /**
     * Names the implementation in binding problems.
     *
     * @return e.g. {@code OpenHFT LinuxJNAAffinity}
     */
    String describe();
}
