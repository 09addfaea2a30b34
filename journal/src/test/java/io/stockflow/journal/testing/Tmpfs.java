package io.stockflow.journal.testing;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a disk-full test, so the file system really runs out of space (CI
 * runs as root). Without the right to mount, the test is skipped by an assumption naming why:
 * a full disk cannot be faked honestly. Unmounting waits for Chronicle's background releaser to
 * drop its mappings, then falls back to a lazy unmount.
 */
public final class Tmpfs implements AutoCloseable
{
    private final Path mountPoint;

    private Tmpfs(Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    /**
     * @param mountPoint    directory to mount on (created)
     * @param sizeMegabytes size of the file system
     * @return the mounted tmpfs
     */
    public static Tmpfs mount(Path mountPoint, int sizeMegabytes) throws IOException, InterruptedException
    {
        Files.createDirectories(mountPoint);
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + sizeMegabytes + "m", "tmpfs",
            mountPoint.toString()).redirectErrorStream(true).start();
        boolean mounted = mounting.waitFor(20, TimeUnit.SECONDS) && mounting.exitValue() == 0;
        String output = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mounted, () -> "cannot mount a tmpfs (needs root): " + output);
        return new Tmpfs(mountPoint);
    }

    /** @return where it is mounted */
    public Path path()
    {
        return mountPoint;
    }

    /**
     * Fills the file system with one file until {@code leaveBytes} remain usable.
     *
     * @return the filler file, to delete when space is to be freed again
     */
    public Path fillLeaving(long leaveBytes) throws IOException
    {
        Path filler = mountPoint.resolve("filler");
        long toWrite = Files.getFileStore(mountPoint).getUsableSpace() - leaveBytes;
        byte[] block = new byte[1 << 20];
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw"))
        {
            for (long written = 0; written < toWrite; written += block.length)
            {
                file.write(block, 0, (int)Math.min(block.length, toWrite - written));
            }
        }
        return filler;
    }

    @Override
    public void close() throws IOException
    {
        BackgroundResourceReleaser.releasePendingResources();
        try
        {
            for (int attempt = 0; attempt < 50; attempt++)
            {
                Process umount = new ProcessBuilder("umount", mountPoint.toString()).redirectErrorStream(true).start();
                if (umount.waitFor(10, TimeUnit.SECONDS) && umount.exitValue() == 0)
                {
                    return;
                }
                Thread.sleep(100);
            }
            new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            new ProcessBuilder("umount", "-l", mountPoint.toString()).start();
        }
    }
}
