package io.stockflow.perf.harness;

import io.stockflow.journal.internal.FileTree;
import net.openhft.chronicle.jlbh.JLBHTask;
import net.openhft.chronicle.queue.bench.QueueSingleThreadedJLBHBenchmark;

import java.nio.file.Path;

/**
 * Chronicle's own queue latency benchmark, {@code QueueSingleThreadedJLBHBenchmark} from
 * chronicle-queue's {@code tests} artifact, driven as it is: each iteration writes one
 * chronicle-values native record (2,963 bytes: a nested struct of numbers, strings and arrays) as a document with an appender and
 * reads it back with a tailer on the same thread, and samples from JLBH's start time to the
 * read. Its queue uses Chronicle's default roll cycle and no pretouch.
 *
 * <p>Two things it does at class initialisation, which this class arranges for: it reads its
 * queue directory from the system property {@code path} once (default {@code replica} in the
 * working directory), and it sets Chronicle's {@code disable.thread.safety=true} and
 * {@code jvm.resource.tracing=false} for the whole JVM. {@link #prepare} therefore sets
 * {@code path} to a scratch directory and initialises the class before any phase of
 * {@code bench jlbh} runs, so every phase runs under the same Chronicle switches. The
 * directory is fixed for the JVM's lifetime; a later {@code bench jlbh} in the same JVM (tests)
 * reuses it, and {@link #deleteQueue} removes it after each run.
 */
public final class ChronicleQueueJlbh
{
    private static final String PATH_PROPERTY = "path";
    private static Path queueDirectory;

    private ChronicleQueueJlbh()
    {
    }

    /**
     * Points the benchmark's queue at a directory under {@code scratch} and initialises its class,
     * once per JVM.
     *
     * @param scratch the scratch parent directory; null for the system's temporary directory.
     * @return the queue directory the benchmark uses.
     */
    public static synchronized Path prepare(final Path scratch)
    {
        if (queueDirectory == null)
        {
            final Path parent = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
            queueDirectory = parent.toAbsolutePath().resolve("stockflow-jlbh-chronicle-" + ProcessHandle.current()
                .pid());
            System.setProperty(PATH_PROPERTY, queueDirectory.toString());
            try
            {
                Class.forName(QueueSingleThreadedJLBHBenchmark.class.getName(), true,
                    ChronicleQueueJlbh.class.getClassLoader());
            }
            catch (final ClassNotFoundException e)
            {
                throw new IllegalStateException("chronicle-queue's tests artifact is missing from the class path", e);
            }
        }
        return queueDirectory;
    }

    /** @return a fresh instance of Chronicle's benchmark task; call {@link #prepare} first. */
    static JLBHTask newTask()
    {
        return new QueueSingleThreadedJLBHBenchmark();
    }

    /** Deletes the benchmark's queue directory after a run (it deletes and re-creates it at the start of one). */
    static synchronized void deleteQueue()
    {
        if (queueDirectory != null)
        {
            FileTree.deleteRecursivelyUnchecked(queueDirectory);
        }
    }
}
