package io.stockflow.journal.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which cycle files {@link WrittenFilesForcer} forces: all of them at first, afterwards every one
 * whose modification time moved, and one that changed too close to its last force to be trusted
 * as clean again until it has been forced while quiet.
 */
class WrittenFilesForcerTest
{
    private static final long NOW_MS = 1_700_000_000_000L;

    @TempDir
    Path directory;

    private final List<Path> forced = new ArrayList<>();
    private long clockMs = NOW_MS;

    @Test
    void forcesEveryCycleFileFirstThenOnlyThoseWrittenSinceTheyWereForcedQuiet() throws IOException
    {
        final Path older = cycleFile("20231114-22.cq4", NOW_MS - 60_000);
        final Path newer = cycleFile("20231114-23.cq4", NOW_MS - 500);
        final Path tableStore = cycleFile("metadata.cq4t", NOW_MS - 500);
        Files.writeString(directory.resolve("stockflow-history.properties"), "not a cycle file");
        final WrittenFilesForcer forcer =
            new WrittenFilesForcer(directory, tableStore, () -> clockMs, file -> forced.add(file.getFileName()));

        assertEquals(List.of(older, newer), forcer.forceWritten(), "the first call forces every cycle file");
        assertEquals(List.of(older.getFileName(), newer.getFileName(), tableStore.getFileName()), forced,
            "and the table store, never other files");

        clockMs += 10_000;
        assertEquals(List.of(newer), forcer.forceWritten(),
            "the newer file changed within a second of its force: a write in that clock tick would not move its time");
        assertEquals(List.of(), forcer.forceWritten(), "forced while quiet, then unchanged: both are clean");

        Files.setLastModifiedTime(older, FileTime.fromMillis(clockMs - 3_000));
        assertEquals(List.of(older), forcer.forceWritten(), "a write moves the time, and the file is forced again");

        Files.delete(newer);
        final Path next = cycleFile("20231115-00.cq4", clockMs - 5_000);
        assertEquals(List.of(next), forcer.forceWritten(), "a new file is forced; a removed one is forgotten");
        assertEquals(tableStore.getFileName(), forced.get(forced.size() - 1), "the table store every time");
    }

    @Test
    void aCycleFileRemovedBetweenTheListingAndItsForceIsSkipped() throws IOException
    {
        final Path archived = cycleFile("20231114-22.cq4", NOW_MS - 60_000);
        final Path kept = cycleFile("20231114-23.cq4", NOW_MS - 60_000);
        final Path tableStore = cycleFile("metadata.cq4t", NOW_MS - 500);
        final WrittenFilesForcer forcer = new WrittenFilesForcer(directory, tableStore, () -> clockMs, file ->
        {
            if (file.equals(archived))
            {
                Files.delete(file);
                throw new NoSuchFileException(file.toString());
            }
            forced.add(file.getFileName());
        });
        assertEquals(List.of(kept), forcer.forceWritten(), "the archiver took the first file away meanwhile");
    }

    private Path cycleFile(final String name, final long modifiedMs) throws IOException
    {
        final Path file = Files.write(directory.resolve(name), new byte[16]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMs));
        return file;
    }
}
