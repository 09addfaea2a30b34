package io.stockflow.journal;

import io.stockflow.journal.internal.FileTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTreeTest
{
    @TempDir
    Path dir;

    @Test
    void deletesATreeChildrenFirstAndLeavesItsSiblings() throws IOException
    {
        final Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file"), "x");
        Files.writeString(root.resolve("a/file"), "y");
        Files.writeString(dir.resolve("sibling"), "z");

        FileTree.deleteRecursively(root);

        assertFalse(Files.exists(root));
        assertTrue(Files.exists(dir.resolve("sibling")));
    }

    @Test
    void deletesASingleFileAndAcceptsAMissingPath() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("file"), "x");

        FileTree.deleteRecursively(file);

        assertFalse(Files.exists(file));
        assertDoesNotThrow(() -> FileTree.deleteRecursively(dir.resolve("missing")));
        assertDoesNotThrow(() -> FileTree.deleteRecursivelyUnchecked(dir.resolve("missing")));
    }
}
