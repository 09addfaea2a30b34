package io.stockflow.affinity;

import net.openhft.affinity.Affinity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a thread's mask the way an operator would, independently of the code under test. */
final class ThreadMasks
{
    private ThreadMasks()
    {
    }

    /**
     * {@code Cpus_allowed_list} of the calling thread from {@code /proc/self/task/<tid>/status}.
     *
     * @return the list as the kernel prints it, e.g. {@code 1}
     */
    static String currentThreadCpusAllowedList()
    {
        Path status = Path.of("/proc/self/task/" + Affinity.getThreadId() + "/status");
        try
        {
            return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring("Cpus_allowed_list:".length()).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Cpus_allowed_list in " + status));
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot read " + status, e);
        }
    }
}
