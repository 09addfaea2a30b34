package io.stockflow.journal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes a file tree, for every module (snapshot retention, the demo's directory, benchmark
 * scratch space, tests): the one copy of a loop that was written out in five places. Public for
 * Stockflow's own modules, not part of the journal's API.
 */
public final class FileTree
{
    private FileTree()
    {
    }

    /**
     * Deletes a file or a directory with everything under it, children before their parent.
     * A path that does not exist is fine; so is an entry deleted by someone else after the walk
     * listed it.
     *
     * @param root the file or directory.
     * @throws IOException if an entry cannot be listed or deleted.
     */
    public static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        final List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.forEach(all::add);
        }
        catch (final UncheckedIOException e)
        {
            throw e.getCause();
        }
        for (int i = all.size() - 1; i >= 0; i--)
        {
            Files.deleteIfExists(all.get(i));
        }
    }

    /**
     * As {@link #deleteRecursively(Path)}, for callers that cannot throw a checked exception.
     *
     * @param root the file or directory.
     * @throws UncheckedIOException if an entry cannot be listed or deleted.
     */
    public static void deleteRecursivelyUnchecked(final Path root)
    {
        try
        {
            deleteRecursively(root);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param path a path, which need not exist
     * @return it absolute and normalised, with the symbolic links of its longest existing ancestor
     *         resolved, so the same file or directory is recognised by any name
     */
    public static Path realOrNormalised(final Path path)
    {
        final Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return absolute;
        }
        try
        {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        }
        catch (final IOException e)
        {
            return absolute;
        }
    }
}
