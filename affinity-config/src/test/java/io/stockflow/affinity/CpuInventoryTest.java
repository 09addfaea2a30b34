package io.stockflow.affinity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuInventoryTest
{
    @TempDir
    Path root;

    @Test
    void usableCpusAreTheIntersectionOfMaskCpusetAndOnline()
    {
        CpuInventory cpus = CpuInventory.of(CpuSet.range(0, 5), Optional.of(CpuSet.range(2, 7)),
            CpuSet.range(0, 6), CpuSet.empty());
        assertEquals(CpuSet.range(2, 5), cpus.usable());
    }

    @Test
    void sharedCpusLeaveOutTheIsolatedOnes()
    {
        CpuInventory cpus = CpuInventory.of(CpuSet.range(0, 7), Optional.empty(), CpuSet.range(0, 7),
            CpuSet.range(2, 7));
        assertEquals(CpuSet.of(0, 1), cpus.shared());
        assertEquals(CpuSet.range(2, 7), cpus.usableIsolated());
    }

    @Test
    void sharedCpusAreAllUsableOnesWhenTheProcessOnlyHasIsolatedCpus()
    {
        CpuInventory cpus = CpuInventory.of(CpuSet.of(4, 5), Optional.empty(), CpuSet.range(0, 7), CpuSet.range(2, 7));
        assertEquals(CpuSet.of(4, 5), cpus.shared());
    }

    @Test
    void detectReadsCgroupV2CpusetMaskOnlineAndIsolatedFromFiles() throws IOException
    {
        write("proc/self/status", "Name:\tjava\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\n");
        write("sys/fs/cgroup/cpuset.cpus.effective", "1-5\n");
        write("sys/devices/system/cpu/online", "0-7\n");
        write("sys/devices/system/cpu/isolated", "4-7\n");
        CpuInventory cpus = CpuInventory.detectFrom(root);
        assertEquals(CpuSet.range(1, 5), cpus.usable());
        assertEquals(CpuSet.range(4, 7), cpus.isolated());
        assertEquals(CpuSet.range(1, 3), cpus.shared());
    }

    @Test
    void detectFindsTheCgroupV2CpusetOfTheProcessOwnGroup() throws IOException
    {
        write("proc/self/status", "Cpus_allowed_list:\t0-7\n");
        write("proc/self/cgroup", "0::/system.slice/stockflow.service\n");
        write("sys/fs/cgroup/system.slice/stockflow.service/cpuset.cpus.effective", "6-7\n");
        write("sys/devices/system/cpu/online", "0-7\n");
        assertEquals(CpuSet.of(6, 7), CpuInventory.detectFrom(root).usable());
    }

    @Test
    void detectFallsBackToTheCgroupV1Cpuset() throws IOException
    {
        write("proc/self/status", "Cpus_allowed_list:\t0-3\n");
        write("sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0,2\n");
        write("sys/devices/system/cpu/online", "0-3\n");
        write("sys/devices/system/cpu/isolated", "\n");
        CpuInventory cpus = CpuInventory.detectFrom(root);
        assertEquals(CpuSet.of(0, 2), cpus.usable());
        assertTrue(cpus.isolated().isEmpty());
    }

    @Test
    void detectOnThisMachineFindsTheMaskOfAnUnpinnedThread()
    {
        CpuInventory cpus = CpuInventory.detect();
        assertEquals(CpuBinder.OPENHFT.currentThreadCpus(), cpus.processMask(), cpus.describe());
        assertTrue(cpus.usable().size() >= 1, cpus.describe());
    }

    private void write(String relative, String content) throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
