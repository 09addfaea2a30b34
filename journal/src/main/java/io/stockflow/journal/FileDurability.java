package io.stockflow.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Makes files, directory entries and replaced files durable: on the device, so they survive a
 * kernel crash or power loss, not only a crash of the process.
 *
 * <p>A file's data is durable after an {@code fsync} of the file; its name is durable only after an
 * {@code fsync} of the directory holding the entry, which a file's own {@code fsync} does not do on
 * Linux. Every method either completes or throws: a failed {@code fsync} is never retried here,
 * because after one the kernel may report a later {@code fsync} of the same pages as a success with
 * the data gone, so the caller must treat the failure as final.
 *
 * <p>Not for hot paths: each call opens a descriptor and waits for the device.
 */
public final class FileDurability
{
    private FileDurability()
    {
    }

    /**
     * Forces a file's data and the metadata needed to read it ({@code fdatasync}).
     *
     * @param file an existing regular file
     * @throws IOException if it cannot be opened or the device reports an error
     */
    public static void forceFile(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            channel.force(false);
        }
        catch (final IOException e)
        {
            throw new IOException("fdatasync of " + file + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Forces a directory, so the entries created, renamed or removed in it survive a power loss.
     *
     * @param directory an existing directory
     * @throws IOException if it cannot be opened or the device reports an error
     */
    public static void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException e)
        {
            throw new IOException("fsync of directory " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a directory and any missing ancestors, forcing the parent of each one created, so the
     * whole path survives a power loss. Directories that already exist are left as they are.
     *
     * @param directory the directory to create
     * @throws IOException if one cannot be created or forced
     */
    public static void createDirectories(final Path directory) throws IOException
    {
        final Path absolute = directory.toAbsolutePath().normalize();
        final Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent())
        {
            missing.push(p);
        }
        while (!missing.isEmpty())
        {
            final Path created = missing.pop();
            try
            {
                Files.createDirectory(created);
            }
            catch (final FileAlreadyExistsException e)
            {
                if (!Files.isDirectory(created))
                {
                    throw e;
                }
            }
            forceDirectory(created);
            forceDirectory(created.getParent());
        }
    }

    /**
     * Replaces {@code file} with {@code content} atomically and durably: writes a temporary file
     * beside it, forces it, renames it over {@code file} and forces the directory. A power cut at
     * any moment leaves either the old content or the new, never a partial or missing file.
     *
     * @param file    the file to write
     * @param content its new content
     * @throws IOException if a step fails; the old file is then unchanged
     */
    public static void writeAtomically(final Path file, final byte[] content) throws IOException
    {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, content);
        forceFile(temporary);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }
}
