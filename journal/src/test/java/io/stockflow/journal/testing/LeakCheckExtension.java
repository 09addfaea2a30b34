package io.stockflow.journal.testing;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fails a test that leaves behind a thread, a memory mapping of a Chronicle file or an open file
 * descriptor it did not have before. Register with {@code @ExtendWith(LeakCheckExtension.class)};
 * published in the journal's test-jar for the other modules.
 *
 * <p>Chronicle releases mappings and descriptors on its {@code background~resource~releaser}
 * thread, so the check flushes that thread and polls for up to five seconds before failing.
 * Process-wide singleton threads that Chronicle and the test harness start once and keep
 * (the resource releaser, the disk-space monitor, the process reaper, surefire's and JUnit's own)
 * are not counted as leaks.
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback
{
    private static final long SETTLE_MILLIS = 5_000;
    private static final List<String> SINGLETON_THREADS = List.of(
        "background~resource~releaser", "disk~space~checker", "process reaper", "surefire",
        "junit", "Common-Cleaner", "Attach Listener", "ForkJoinPool.commonPool", "Notification Thread");

    @Override
    public void beforeEach(ExtensionContext context)
    {
        ExtensionContext.Store store = context.getStore(ExtensionContext.Namespace.create(LeakCheckExtension.class));
        store.put("threads", liveThreadIds());
        store.put("fds", openFileTargets());
        store.put("maps", mappedChronicleFiles());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws InterruptedException
    {
        ExtensionContext.Store store = context.getStore(ExtensionContext.Namespace.create(LeakCheckExtension.class));
        Set<Long> threadsBefore = (Set<Long>)store.get("threads");
        Map<String, Integer> fdsBefore = (Map<String, Integer>)store.get("fds");
        Map<String, Integer> mapsBefore = (Map<String, Integer>)store.get("maps");
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        String leaks;
        do
        {
            BackgroundResourceReleaser.releasePendingResources();
            leaks = describeLeaks(threadsBefore, fdsBefore, mapsBefore);
            if (leaks.isEmpty())
            {
                return;
            }
            Thread.sleep(50);
        }
        while (System.currentTimeMillis() < deadline);
        throw new AssertionError("test leaked resources: " + leaks);
    }

    private static String describeLeaks(Set<Long> threadsBefore, Map<String, Integer> fdsBefore,
        Map<String, Integer> mapsBefore)
    {
        List<String> leaks = new ArrayList<>();
        List<String> threads = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !threadsBefore.contains(t.getId()))
            .map(Thread::getName)
            .filter(name -> SINGLETON_THREADS.stream().noneMatch(name::contains))
            .collect(Collectors.toList());
        if (!threads.isEmpty())
        {
            leaks.add("threads " + threads);
        }
        List<String> fds = grown(fdsBefore, openFileTargets());
        if (!fds.isEmpty())
        {
            leaks.add("file descriptors " + fds);
        }
        List<String> maps = grown(mapsBefore, mappedChronicleFiles());
        if (!maps.isEmpty())
        {
            leaks.add("mappings " + maps);
        }
        return String.join("; ", leaks);
    }

    private static List<String> grown(Map<String, Integer> before, Map<String, Integer> after)
    {
        return after.entrySet().stream()
            .filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0))
            .map(e -> e.getKey() + " x" + (e.getValue() - before.getOrDefault(e.getKey(), 0)))
            .collect(Collectors.toList());
    }

    private static Set<Long> liveThreadIds()
    {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    /** @return targets of /proc/self/fd entries that are regular files, counted */
    static Map<String, Integer> openFileTargets()
    {
        Map<String, Integer> targets = new HashMap<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd")))
        {
            for (Path fd : (Iterable<Path>)fds::iterator)
            {
                try
                {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/") && !target.startsWith("/proc") && !target.startsWith("/dev")
                        && !target.endsWith(".jar") && !target.contains("/lib/modules"))
                    {
                        targets.merge(target, 1, Integer::sum);
                    }
                }
                catch (IOException ignored)
                {
                    // the descriptor closed while listing: not open, so not a leak
                }
            }
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return targets;
    }

    /** @return Chronicle files (.cq4, .cq4t) mapped into this process, counted by mapping */
    static Map<String, Integer> mappedChronicleFiles()
    {
        Map<String, Integer> maps = new HashMap<>();
        try
        {
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps")))
            {
                int slash = line.indexOf('/');
                if (slash < 0)
                {
                    continue;
                }
                String path = line.substring(slash);
                if (path.contains(".cq4") || path.contains("writer.lock"))
                {
                    maps.merge(path, 1, Integer::sum);
                }
            }
        }
        catch (IOException e)
        {
            throw new IllegalStateException("cannot read /proc/self/maps", e);
        }
        return maps;
    }
}
