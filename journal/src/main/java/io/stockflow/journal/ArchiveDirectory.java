package io.stockflow.journal;

import io.stockflow.journal.internal.FileTree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The archive directory of a journal: the checks made before any cycle file moves into it (not the
 * journal directory or inside it, the journal's one archive, writable, holding no other journal's
 * cycles), the marker file naming the journal it belongs to, and path comparison by real path so
 * the same directory is recognised by any name. Static and stateless: {@link JournalArchiver} and
 * the readers given {@code --archive} both use it.
 */
final class ArchiveDirectory
{
    /** The marker file in an archive directory, naming the journal whose cycles it holds. */
    static final String MARKER_FILE = "stockflow-archive.properties";

    private ArchiveDirectory()
    {
    }

    /**
     * Checks an archive directory before anything moves: not the journal directory or inside it,
     * writable, and holding no other journal's cycles.
     *
     * <p>Static, so a caller checks before it takes the writer lock: opening the journal as a
     * writer gives finished cycles their end-of-file marker, and a refused archival changes nothing.
     *
     * @param journalDirectory the journal directory
     * @param archive          the archive directory, which may not exist yet
     * @throws JournalArchiveRefusedException naming what is wrong
     */
    static void check(final Path journalDirectory, final Path archive)
    {
        final Path directory = journalDirectory.toAbsolutePath().normalize();
        final Path target = FileTree.realOrNormalised(archive);
        final Path realJournal = FileTree.realOrNormalised(directory);
        if (target.startsWith(realJournal))
        {
            throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.INSIDE_JOURNAL,
                "archive " + archive + " is the journal directory " + directory + " or inside it");
        }
        final Optional<JournalHistory> history = JournalHistory.read(directory);
        if (history.isPresent() && history.get().archive() != null && !history.get().archive().equals(target))
        {
            throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.OTHER_ARCHIVE,
                "the earlier cycles of journal " + directory + " are archived in " + history.get().archive()
                    + "; archive into that directory so one archive holds the whole history");
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing))
        {
            throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.NOT_WRITABLE,
                "archive " + archive + " is not a writable directory" + (existing == null || existing.equals(target)
                    ? "" : " (" + existing + " cannot be written)"));
        }
        if (Files.isDirectory(target))
        {
            final String owner = markerJournalId(target);
            final String ours = history.map(JournalHistory::journalId).orElse(null);
            if (owner != null && !owner.equals(ours) || owner == null && holdsCycleFiles(target))
            {
                throw new JournalArchiveRefusedException(JournalArchiveRefusedException.Reason.FOREIGN,
                    "archive " + archive + " holds the cycles of another journal ("
                        + (owner == null ? "no " + MARKER_FILE
                            : "its " + MARKER_FILE + " names " + markerSource(target))
                        + "); give an empty directory or this journal's own archive");
            }
        }
    }

    /**
     * Names the journal an archive belongs to, once, in its marker file.
     *
     * @param archive   the archive directory
     * @param journalId the journal's id
     * @param directory the journal directory
     * @param rollCycle its roll cycle
     * @throws IOException if the marker cannot be written durably
     */
    static void writeMarker(final Path archive, final String journalId, final Path directory,
        final JournalRollCycle rollCycle) throws IOException
    {
        if (Files.isRegularFile(archive.resolve(MARKER_FILE)))
        {
            return;
        }
        final Properties properties = new Properties();
        properties.setProperty("journalId", journalId);
        properties.setProperty("journal", directory.toString());
        properties.setProperty("rollCycle", rollCycle.name());
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        properties.store(text, "Stockflow archive: cycle files moved out of the journal named here");
        FileDurability.writeAtomically(archive.resolve(MARKER_FILE), text.toByteArray());
    }

    /**
     * @param archive an archive directory
     * @return the journal id its marker names, or null without a marker
     */
    static String markerJournalId(final Path archive)
    {
        return readMarker(archive).getProperty("journalId");
    }

    private static String markerSource(final Path archive)
    {
        return readMarker(archive).getProperty("journal", "an unnamed journal");
    }

    private static Properties readMarker(final Path archive)
    {
        final Properties properties = new Properties();
        final Path file = archive.resolve(MARKER_FILE);
        if (!Files.isRegularFile(file))
        {
            return properties;
        }
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static boolean holdsCycleFiles(final Path directory)
    {
        try
        {
            return CycleFiles.anyIn(directory);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }
}
