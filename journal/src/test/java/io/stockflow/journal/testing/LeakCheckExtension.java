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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fails a test that leaves behind a thread, a memory mapping of a Chronicle file or an open file
 * descriptor it did not have before, or during which a thread of its own died of an uncaught
 * exception (which would otherwise only be printed, and the test pass). Registered for every
 * test class of every module through JUnit's extension auto-detection: this class is listed in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} of the journal's test-jar,
 * which every module has on its test classpath, and each module's {@code junit-platform.properties}
 * turns auto-detection on.
 *
 * <p>Uncaught exceptions are caught by a default handler installed for the test's duration, so
 * a thread with a handler of its own (the Disruptor's stage threads, for instance) is not seen.
 *
 * <p>Chronicle releases mappings and descriptors on its {@code background~resource~releaser}
 * thread, so the check flushes that thread and polls for up to five seconds before failing.
 * Process-wide singleton threads that Chronicle and the test harness start once and keep
 * (the resource releaser, the disk-space monitor, the process reaper, surefire's and JUnit's own,
 * and the JVM's two Flight Recorder threads, started by the first recording and kept until exit)
 * are not counted as leaks. A test that ends a thread with an exception on purpose says so with
 * {@link ExpectedUncaughtExceptions}.
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback
{
    private static final long SETTLE_MILLIS = 5_000;
    private static final List<String> SINGLETON_THREADS = List.of(
        "background~resource~releaser", "disk~space~checker", "process reaper", "surefire",
        "junit", "Common-Cleaner", "Attach Listener", "ForkJoinPool.commonPool", "Notification Thread",
        "JFR Periodic Tasks", "JFR Recorder Thread");

    @Override
    public void beforeEach(ExtensionContext context)
    {
        ExtensionContext.Store store = context.getStore(ExtensionContext.Namespace.create(LeakCheckExtension.class));
        List<String> uncaught = new CopyOnWriteArrayList<>();
        Set<String> expected = expectedUncaught(context);
        store.put("handler", Thread.getDefaultUncaughtExceptionHandler());
        store.put("uncaught", uncaught);
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
        {
            if (!expected.contains(failure.getClass().getSimpleName()))
            {
                uncaught.add(thread.getName() + ": " + failure);
                failure.printStackTrace();
            }
        });
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
        List<String> uncaught = (List<String>)store.get("uncaught");
        try
        {
            awaitNoLeaks(threadsBefore, fdsBefore, mapsBefore);
        }
        finally
        {
            Thread.setDefaultUncaughtExceptionHandler((Thread.UncaughtExceptionHandler)store.get("handler"));
        }
        if (!uncaught.isEmpty())
        {
            throw new AssertionError("uncaught exception(s) on other threads during the test: " + uncaught);
        }
    }

    /** @return the simple class names the test method or its class declared with {@link ExpectedUncaughtExceptions} */
    private static Set<String> expectedUncaught(ExtensionContext context)
    {
        Set<String> names = new HashSet<>();
        context.getTestMethod().map(m -> m.getAnnotation(ExpectedUncaughtExceptions.class))
            .ifPresent(a -> names.addAll(Arrays.asList(a.value())));
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass())
        {
            ExpectedUncaughtExceptions declared = type.getAnnotation(ExpectedUncaughtExceptions.class);
            if (declared != null)
            {
                names.addAll(Arrays.asList(declared.value()));
            }
        }
        return names;
    }

    /** Waits for threads, descriptors and mappings to settle. */
    private static void awaitNoLeaks(Set<Long> threadsBefore, Map<String, Integer> fdsBefore,
        Map<String, Integer> mapsBefore) throws InterruptedException
    {
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
    public static Map<String, Integer> mappedChronicleFiles()
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
