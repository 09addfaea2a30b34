package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-only commands leave the engine directory exactly as they found it: the
 * same entries, sizes, content hashes and modification times. Snapshot files
 * matter most: a Chronicle Map mapped read-write sets lock words inside the file
 * while it is read, so a command that loaded the published files would rewrite them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadOnlyCommandsTest
{
    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsChangeNothingInTheEngineDirectoryIncludingSnapshots()
    {
        final Path engine = dir.resolve("engine");
        Cli.run("demo", "--events", "30000", "--dir", engine.toString(), "--quiet").ok();
        Cli.run(engine, "run", "--input", Journals.goldenInput(dir).toString(), "--quiet").ok();
        assertTrue(snapshotCount(engine) >= 2, "snapshots to load: " + snapshotCount(engine));
        forceToDisk(engine);
        final Map<String, String> before = DirectoryFingerprint.of(engine);

        final List<List<String>> commands = List.of(
            List.of("state"), List.of("state", "--format", "table"), List.of("state", "--full"),
            List.of("replay"), List.of("replay", "--from-seq", "30500", "--json"), List.of("replay", "--to-seq", "100"),
            List.of("verify"), List.of("dump"), List.of("dump", "--from-seq", "30000"), List.of("info"),
            List.of("stat"));
        for (final List<String> command : commands)
        {
            final Cli.Result result = Cli.run(engine, command.get(0),
                command.subList(1, command.size()).toArray(new String[0])).ok();
            final Map<String, String> after = DirectoryFingerprint.of(engine);
            assertEquals(before, after, () -> "changed by " + result.commandLine + ": "
                + DirectoryFingerprint.differences(before, after));
        }
    }

    @Test
    void readOnlyCommandsLeaveNoTemporaryFilesBehind() throws IOException
    {
        final Path engine = Journals.goldenEngine(dir);
        final Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        final List<String> before = snapshotCopies(temporary);

        Cli.run(engine, "state").ok();
        Cli.run(engine, "verify").ok();
        Cli.run(engine, "replay", "--from-seq", "1000").ok();

        assertEquals(before, snapshotCopies(temporary));
    }

    private static List<String> snapshotCopies(final Path temporary) throws IOException
    {
        try (Stream<Path> entries = Files.list(temporary))
        {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("stockflow-snapshots-"))
                .sorted().collect(Collectors.toList());
        }
    }

    private static long snapshotCount(final Path engine)
    {
        try (Stream<Path> entries = Files.list(engine.resolve("snapshots")))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith("snapshot-")).count();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes dirty pages back first: a page already dirty takes further writes through a mapping without
     * updating the modification time, so without this a rewrite could go unnoticed.
     */
    private static void forceToDisk(final Path root)
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)walk.filter(Files::isRegularFile)::iterator)
            {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
                {
                    channel.force(true);
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
