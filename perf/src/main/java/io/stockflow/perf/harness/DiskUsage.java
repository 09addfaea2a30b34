package io.stockflow.perf.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Bytes a directory takes on disk. Chronicle Queue's files are sparse: a cycle file is
 * created at its full mapped size and filled as records arrive, so the sum of file sizes
 * says little about what the journal uses. The allocated blocks do, and Java has no
 * portable way to read them; {@code du -sk} does (POSIX), so it is asked, and where it
 * cannot run the apparent size is used instead, and said so.
 */
public final class DiskUsage
{
    private static final long KIB = 1024;
    private static final long DU_TIMEOUT_SECONDS = 60;

    private final boolean allocated;

    private DiskUsage(final boolean allocated)
    {
        this.allocated = allocated;
    }

    /**
     * @param probe a directory to try {@code du} on.
     * @return a meter that uses {@code du -sk} when it works on {@code probe}, else apparent sizes.
     */
    public static DiskUsage forDirectory(final Path probe)
    {
        return new DiskUsage(du(probe) >= 0);
    }

    /** @return how the bytes are counted, for the report. */
    public String method()
    {
        return allocated ? "allocated blocks (du -sk)" : "apparent file sizes (du unavailable)";
    }

    /**
     * @param directory a directory.
     * @return its bytes on disk, everything under it included.
     */
    public long bytes(final Path directory)
    {
        if (allocated)
        {
            final long bytes = du(directory);
            BenchCheckException.check(bytes >= 0, "du -sk " + directory + " failed");
            return bytes;
        }
        return apparent(directory);
    }

    private static long du(final Path directory)
    {
        try
        {
            final Process process = new ProcessBuilder("du", "-sk", directory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(DU_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroy();
                return -1;
            }
            if (process.exitValue() != 0)
            {
                return -1;
            }
            final String[] fields = output.trim().split("\\s+");
            return Long.parseLong(fields[0]) * KIB;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long apparent(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            long total = 0;
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file))
                {
                    total += Files.size(file);
                }
            }
            return total;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot measure " + directory + ": " + e.getMessage(), e);
        }
    }
}
