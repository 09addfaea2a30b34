package io.stockflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every entry under a directory: its relative name, and for files the size, the
 * SHA-256 of the content and the modification time. Two fingerprints are equal
 * when nothing was created, deleted, written or even rewritten with the same bytes.
 */
final class DirectoryFingerprint
{
    private DirectoryFingerprint()
    {
    }

    /**
     * @param root a directory.
     * @return relative path to "dir", or to "size sha256 mtime" for files, sorted by path.
     */
    static Map<String, String> of(final Path root)
    {
        final Map<String, String> entries = new TreeMap<>();
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(root))
        {
            paths = walk.collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        for (final Path path : paths)
        {
            final String name = root.relativize(path).toString();
            try
            {
                entries.put(name, Files.isDirectory(path) ? "dir"
                    : Files.size(path) + " " + sha256(path) + " " + Files.getLastModifiedTime(path).toMillis());
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** @return the entries that differ, each as "name: before -> after", for a failure message. */
    static String differences(final Map<String, String> before, final Map<String, String> after)
    {
        final Map<String, String> all = new TreeMap<>(before);
        all.putAll(after);
        return all.keySet().stream().filter(name -> !java.util.Objects.equals(before.get(name), after.get(name)))
            .map(name -> name + ": " + before.get(name) + " -> " + after.get(name))
            .collect(Collectors.joining("; "));
    }

    private static String sha256(final Path file) throws IOException
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
        final byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file))
        {
            int read;
            while ((read = in.read(buffer)) > 0)
            {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
