package io.stockflow.journal.testing;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small ext4 file system in an image file, mounted through a loop device, whose power can be cut:
 * {@link #cutPower()} shuts it down with {@code FS_IOC_GOINGDOWN} and {@code FS_GOING_DOWN_NOLOGFLUSH},
 * so everything not yet on the device (dirty pages, an uncommitted ext4 journal) is gone, exactly as
 * after a power loss; {@link #remount()} then unmounts and mounts the image again, showing what
 * reached the device. Needs root, a free loop device and python3 (for the ioctl); without them the
 * test is skipped by an assumption saying which is missing, never passed silently.
 */
public final class LoopExt4 implements AutoCloseable
{
    // Prints CLOCK_MONOTONIC (what System.nanoTime reads on Linux) just before the ioctl, so a test
    // can tell what a process did before the cut began from what it did while or after it happened.
    private static final String CUT_SCRIPT = "import fcntl,os,struct,sys,time\n"
        + "fd=os.open(sys.argv[1],os.O_RDONLY)\n"
        + "print('CUT_AT_NS', time.monotonic_ns(), flush=True)\n"
        + "fcntl.ioctl(fd,0x8004587d,struct.pack('I',2))\n";

    private static final Pattern CUT_STAMP = Pattern.compile("CUT_AT_NS (\\d+)");

    private final Path image;
    private final Path mountPoint;
    private boolean mounted;

    private LoopExt4(Path image, Path mountPoint)
    {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /**
     * Creates, formats and mounts a file system.
     *
     * @param workDirectory where the image file and the mount point go (not itself on the image)
     * @param sizeMegabytes size of the file system
     * @return the mounted file system
     */
    public static LoopExt4 mount(Path workDirectory, int sizeMegabytes) throws IOException, InterruptedException
    {
        Path image = workDirectory.resolve("ext4.img");
        Path mountPoint = workDirectory.resolve("mnt");
        Files.createDirectories(mountPoint);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "power-cut trials need root to mount a loop device; running as " + System.getProperty("user.name"));
        Result python = run(10, "python3", "-c", "import fcntl");
        Assumptions.assumeTrue(python.ok, () -> "power-cut trials need python3 for the ioctl: " + python.output);
        Result truncate = run(10, "truncate", "-s", sizeMegabytes + "M", image.toString());
        Assumptions.assumeTrue(truncate.ok, () -> "cannot create the image: " + truncate.output);
        Result mkfs = run(60, "mkfs.ext4", "-q", "-F", image.toString());
        Assumptions.assumeTrue(mkfs.ok, () -> "cannot format ext4 (mkfs.ext4): " + mkfs.output);
        LoopExt4 fs = new LoopExt4(image, mountPoint);
        Result mount = fs.mountImage();
        Assumptions.assumeTrue(mount.ok, () -> "cannot mount a loop device: " + mount.output);
        return fs;
    }

    /** @return where it is mounted */
    public Path path()
    {
        return mountPoint;
    }

    /**
     * Shuts the file system down as a power cut would: nothing more reaches the device, and every
     * later write or sync on it fails with EIO.
     *
     * <p>Unlike a real power cut, the processes using the file system go on running, and a sync
     * that was in flight when the shutdown came can still return success to them with its data
     * lost (seen on Linux 6.18: an {@code fdatasync} of newly allocated blocks of a mapped file). A
     * real power cut ends those processes before they see that return, so only what a process
     * released before the cut began is owed to it: compare its timestamps with the returned one.
     *
     * @return {@code System.nanoTime()} (CLOCK_MONOTONIC) just before the shutdown was issued
     */
    public long cutPower() throws IOException, InterruptedException
    {
        Result cut = run(20, "python3", "-c", CUT_SCRIPT, mountPoint.toString());
        if (!cut.ok)
        {
            throw new IOException("FS_IOC_GOINGDOWN on " + mountPoint + " failed: " + cut.output);
        }
        Matcher stamp = CUT_STAMP.matcher(cut.output);
        if (!stamp.find())
        {
            throw new IOException("the cut script did not report when it cut: " + cut.output);
        }
        return Long.parseLong(stamp.group(1));
    }

    /**
     * Unmounts (once every process using it is gone) and mounts the image again: what is then
     * visible is what reached the device before the cut.
     */
    public void remount() throws IOException, InterruptedException
    {
        unmount();
        Result mount = mountImage();
        if (!mount.ok)
        {
            throw new IOException("cannot mount " + image + " again: " + mount.output);
        }
    }

    private Result mountImage() throws IOException, InterruptedException
    {
        Result result = run(30, "mount", "-o", "loop", image.toString(), mountPoint.toString());
        mounted = result.ok;
        return result;
    }

    private void unmount() throws IOException, InterruptedException
    {
        if (!mounted)
        {
            return;
        }
        BackgroundResourceReleaser.releasePendingResources();
        Result last = null;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            last = run(20, "umount", mountPoint.toString());
            if (last.ok)
            {
                mounted = false;
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("cannot unmount " + mountPoint + ": " + last.output);
    }

    /** Unmounts (lazily if it must), which also frees the loop device, and deletes the image. */
    @Override
    public void close() throws IOException
    {
        try
        {
            unmount();
        }
        catch (IOException | InterruptedException e)
        {
            try
            {
                run(20, "umount", "-l", mountPoint.toString());
            }
            catch (InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
            }
            if (e instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
        }
        finally
        {
            Files.deleteIfExists(image);
        }
    }

    private static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException
    {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done)
        {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Result(done && process.exitValue() == 0, String.join(" ", line) + ": " + output);
    }

    private record Result(boolean ok, String output)
    {}
}
