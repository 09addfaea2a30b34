package io.stockflow.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CycleFilesTest
{
    @TempDir
    Path dir;

    @Test
    void onlyCycleFilesAreListedInNameOrder() throws Exception
    {
        assertFalse(CycleFiles.anyIn(dir));
        // The table store, a file tail recovery moved aside and a directory named like a cycle are not cycle files.
        Files.createFile(dir.resolve("metadata.cq4t"));
        Files.createFile(dir.resolve("20261206-01.cq4.incomplete-1765000000000"));
        Files.createFile(dir.resolve("notes.txt"));
        assertFalse(CycleFiles.anyIn(dir));
        Files.createFile(dir.resolve("20261206-02.cq4"));
        Files.createFile(dir.resolve("20261206-01.cq4"));
        assertTrue(CycleFiles.anyIn(dir));
        assertEquals(List.of(dir.resolve("20261206-01.cq4"), dir.resolve("20261206-02.cq4")), CycleFiles.in(dir));
    }
}
