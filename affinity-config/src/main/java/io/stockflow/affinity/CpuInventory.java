package io.stockflow.affinity;

import net.openhft.affinity.Affinity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CPUs this process may really run on, and which of them the kernel keeps isolated.
 *
 * <p>Four sources, because each can be narrower than the others: the process affinity mask
 * ({@code sched_getaffinity}, e.g. set by {@code taskset}), the container's cgroup cpuset, the
 * online CPUs, and {@code /sys/devices/system/cpu/isolated} ({@code isolcpus=}). A CPU is
 * <em>usable</em> when it is in the mask, the cpuset and online. Usable isolated CPUs are the
 * ones a spinning stage should get: the scheduler puts nothing else there. Unpinned threads are
 * never balanced onto isolated CPUs, so the <em>shared</em> CPUs (usable and not isolated) are
 * what unpinned threads, the publisher and the JVM's own threads compete for.
 *
 * <p>Construct with {@link #of} in tests; {@link #detect()} reads the running machine.
 */
public final class CpuInventory
{
    private final CpuSet processMask;
    private final Optional<CpuSet> cpuset;
    private final CpuSet online;
    private final CpuSet isolated;
    private final CpuSet usable;
    private final CpuSet shared;

    private CpuInventory(CpuSet processMask, Optional<CpuSet> cpuset, CpuSet online, CpuSet isolated)
    {
        this.processMask = Objects.requireNonNull(processMask, "processMask");
        this.cpuset = Objects.requireNonNull(cpuset, "cpuset");
        this.online = Objects.requireNonNull(online, "online");
        this.isolated = Objects.requireNonNull(isolated, "isolated");
        CpuSet allowed = processMask.intersect(online);
        this.usable = cpuset.map(allowed::intersect).orElse(allowed);
        CpuSet notIsolated = usable.minus(isolated);
        this.shared = notIsolated.isEmpty() ? usable : notIsolated;
    }

    /**
     * An inventory from explicit sets, for tests and tools.
     *
     * @param processMask the process affinity mask
     * @param cpuset      the cgroup cpuset, or empty when the process is not restricted by one
     * @param online      the online CPUs
     * @param isolated    the isolated CPUs (may be empty)
     * @return the inventory
     */
    public static CpuInventory of(CpuSet processMask, Optional<CpuSet> cpuset, CpuSet online, CpuSet isolated)
    {
        return new CpuInventory(processMask, cpuset, online, isolated);
    }

    /**
     * An inventory where mask, cpuset and online are all {@code cpus} and none is isolated.
     *
     * @param cpus the CPUs
     * @return the inventory
     */
    public static CpuInventory ofCpus(CpuSet cpus)
    {
        return new CpuInventory(cpus, Optional.of(cpus), cpus, CpuSet.empty());
    }

    /**
     * Reads the running machine: {@code /proc/self/status} {@code Cpus_allowed_list} (the
     * process's launch mask; OpenHFT {@code Affinity.getAffinity()} of the calling thread when
     * {@code /proc} is unreadable), the cgroup cpuset (v2 {@code cpuset.cpus.effective} at the
     * namespace root or at the process's cgroup path, else v1 {@code cpuset.effective_cpus}),
     * {@code /sys/devices/system/cpu/online} and {@code isolated}.
     *
     * <p>{@code /proc/self/status} describes the thread-group leader, which in a JVM is the
     * launcher thread that never changes its mask, so a pinned caller does not narrow the result.
     *
     * @return the inventory
     */
    public static CpuInventory detect()
    {
        return detectUnder(Path.of("/"), true);
    }

    /**
     * Reads the same files as {@link #detect()} below another root directory (a copy of
     * {@code /proc} and {@code /sys} for tests). Missing files mean: mask = online, no cpuset,
     * online = {@code 0..availableProcessors-1}, none isolated.
     *
     * @param root the directory standing for {@code /}
     * @return the inventory
     */
    public static CpuInventory detectFrom(Path root)
    {
        return detectUnder(root, false);
    }

    private static CpuInventory detectUnder(Path root, boolean live)
    {
        Path cpuDirectory = root.resolve("sys/devices/system/cpu");
        CpuSet online = readCpuList(cpuDirectory.resolve("online"))
            .orElseGet(() -> CpuSet.range(0, Runtime.getRuntime().availableProcessors() - 1));
        CpuSet isolated = readCpuList(cpuDirectory.resolve("isolated")).orElse(CpuSet.empty());
        Optional<CpuSet> mask = readStatusCpus(root.resolve("proc/self/status"));
        CpuSet processMask = mask.orElseGet(() -> live ? CpuSet.fromBitSet(Affinity.getAffinity()) : online);
        return new CpuInventory(processMask, readCgroupCpuset(root), online, isolated);
    }

    private static Optional<CpuSet> readCgroupCpuset(Path root)
    {
        Path cgroupRoot = root.resolve("sys/fs/cgroup");
        Optional<CpuSet> atRoot = readCpuList(cgroupRoot.resolve("cpuset.cpus.effective"));
        if (atRoot.isPresent())
        {
            return atRoot;
        }
        Optional<CpuSet> atOwnGroup = readUnifiedCgroupPath(root.resolve("proc/self/cgroup"))
            .flatMap(path -> readCpuList(cgroupRoot.resolve(path).resolve("cpuset.cpus.effective")));
        if (atOwnGroup.isPresent())
        {
            return atOwnGroup;
        }
        return readCpuList(cgroupRoot.resolve("cpuset/cpuset.effective_cpus"));
    }

    private static Optional<String> readUnifiedCgroupPath(Path procCgroup)
    {
        return readLines(procCgroup).stream()
            .filter(line -> line.startsWith("0::/"))
            .map(line -> line.substring("0::/".length()).trim())
            .filter(path -> !path.isEmpty() && !path.contains(".."))
            .findFirst();
    }

    /**
     * Reads {@code Cpus_allowed_list} from a {@code /proc/.../status} file.
     *
     * @param status the status file
     * @return the CPUs, or empty when the file or field cannot be read
     */
    static Optional<CpuSet> readStatusCpus(Path status)
    {
        return readLines(status).stream()
            .filter(line -> line.startsWith("Cpus_allowed_list:"))
            .map(line -> CpuSet.parse(line.substring("Cpus_allowed_list:".length())))
            .findFirst();
    }

    private static Optional<CpuSet> readCpuList(Path file)
    {
        if (!Files.isRegularFile(file))
        {
            return Optional.empty();
        }
        try
        {
            return Optional.of(CpuSet.parse(Files.readString(file, StandardCharsets.US_ASCII)));
        }
        catch (IOException | SecurityException | IllegalArgumentException e)
        {
            return Optional.empty();
        }
    }

    private static List<String> readLines(Path file)
    {
        try
        {
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (IOException | SecurityException e)
        {
            return List.of();
        }
    }

    /**
     * The process affinity mask.
     *
     * @return the mask
     */
    public CpuSet processMask()
    {
        return processMask;
    }

    /**
     * The cgroup cpuset, if the process is in one that could be read.
     *
     * @return the cpuset or empty
     */
    public Optional<CpuSet> cpuset()
    {
        return cpuset;
    }

    /**
     * The online CPUs.
     *
     * @return the online set
     */
    public CpuSet online()
    {
        return online;
    }

    /**
     * The CPUs the kernel isolates ({@code isolcpus=}), usable by this process or not.
     *
     * @return the isolated set, possibly empty
     */
    public CpuSet isolated()
    {
        return isolated;
    }

    /**
     * The CPUs a thread of this process may be pinned to: mask ∩ cpuset ∩ online.
     *
     * @return the usable set
     */
    public CpuSet usable()
    {
        return usable;
    }

    /**
     * The usable CPUs that are not isolated (all usable ones if every usable CPU is isolated):
     * where unpinned threads run, and the mask an unpinned stage thread is reset to.
     *
     * @return the shared set
     */
    public CpuSet shared()
    {
        return shared;
    }

    /**
     * The usable isolated CPUs: the best homes for spinning stages.
     *
     * @return usable ∩ isolated
     */
    public CpuSet usableIsolated()
    {
        return usable.intersect(isolated);
    }

    /**
     * One line naming every source, for error messages and the plan table.
     *
     * @return e.g. {@code usable CPUs 0-1 (process mask 0-1, cpuset 0-1, online 0-1, isolated none)}
     */
    public String describe()
    {
        return "usable CPUs " + usable + " (process mask " + processMask
            + ", cpuset " + cpuset.map(CpuSet::toString).orElse("unrestricted")
            + ", online " + online + ", isolated " + isolated + ")";
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
