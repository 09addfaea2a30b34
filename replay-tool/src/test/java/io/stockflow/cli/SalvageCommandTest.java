package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stockflow salvage}: after a record before the tail is corrupted, the engine
 * refuses to start; salvage copies the records before the fault into a new
 * directory with the same sequences, event times and state, and leaves the damaged
 * directory byte for byte as it was.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SalvageCommandTest
{
    @TempDir
    Path dir;

    @Test
    void copiesTheRecordsBeforeTheFaultIntoANewDirectoryThatTheEngineThenContinues()
    {
        final Path damaged = dir.resolve("damaged");
        Cli.run(damaged, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(40)).toString(),
            "--quiet").ok();
        Journals.flipPayloadByteOfRestock(damaged, 20);
        Cli.assertOneClearErrorLine(Cli.run(damaged, "run", "--input",
            Cli.write(dir.resolve("more.jsonl"), Journals.restock(41) + "\n").toString(), "--quiet"),
            ExitCodes.DATA_ERROR, "sequence=20", "stockflow salvage --into NEWDIR");
        final TreeMap<String, String> damagedBefore = digestsOf(damaged);

        final Path salvaged = dir.resolve("salvaged");
        final Cli.Result salvage = Cli.run(damaged, "salvage", "--into", salvaged.toString(), "--quiet").ok();

        assertTrue(salvage.out.startsWith("salvaged     19 records (sequence 1..19) into " + salvaged),
            salvage::describe);
        assertTrue(salvage.out.contains("stopped at   ") && salvage.out.contains("CRC32C mismatch")
            && salvage.out.contains("sequence=20"), salvage::describe);
        assertTrue(salvage.out.contains("not copied   the record at sequence 20 and everything after it"),
            salvage::describe);
        assertEquals(damagedBefore, digestsOf(damaged), "the damaged directory is only read");
        assertEquals(Journals.DEFAULT_PARAMETERS_LINE + "\n" + Journals.restocks(19),
            Cli.run(salvaged, "dump", "--quiet").ok().out,
            "the same commands with the same event times at the same sequences");
        assertTrue(Cli.run(salvaged, "verify", "--quiet").ok().out.endsWith("verify       OK\n"));

        final Path reference = dir.resolve("reference");
        Cli.run(reference, "run", "--input", Cli.write(dir.resolve("first19.jsonl"), Journals.restocks(19)).toString(),
            "--quiet").ok();
        assertEquals(Cli.run(reference, "state").ok().out, Cli.run(salvaged, "state").ok().out);
        assertTrue(salvage.out.contains("state hash " + Cli.run(reference, "state").ok().stateHash()),
            salvage::describe);

        Cli.run(salvaged, "run", "--input", dir.resolve("more.jsonl").toString(), "--quiet").ok();
        final List<String> dumped = Journals.commandLines(
            Cli.run(salvaged, "dump", "--quiet").ok().out.lines().collect(Collectors.toList()));
        assertEquals(20, dumped.size(), "the salvaged engine goes on at sequence 20");
        assertEquals(Journals.restock(41), dumped.get(19));
    }

    @Test
    void anUndamagedJournalIsCopiedWhole()
    {
        final Path engine = Journals.goldenEngine(dir);
        final Path copy = dir.resolve("copy");

        final Cli.Result salvage = Cli.run(engine, "salvage", "--into", copy.toString(), "--quiet").ok();

        assertTrue(salvage.out.contains("no fault found"), salvage::describe);
        assertEquals(Cli.resource("golden/state.json"), Cli.run(copy, "state").ok().out);
        assertEquals(Cli.resource("golden/dump.jsonl"), Cli.run(copy, "dump", "--quiet").ok().out);
    }

    @Test
    void refusesATargetThatIsNotNewOrEmptyAndChangesNothing() throws IOException
    {
        final Path engine = Journals.goldenEngine(dir);
        final Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("keep.txt"), "mine");
        final TreeMap<String, String> before = digestsOf(dir);

        Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", other.toString()), ExitCodes.USAGE,
            "is not empty");
        Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", engine.toString()), ExitCodes.USAGE,
            "not the damaged one");
        Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", engine.resolve("new").toString()),
            ExitCodes.USAGE, "outside the damaged one");
        Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", engine.resolve("journal").resolve("sub")
            .toString()), ExitCodes.USAGE, "outside the damaged one");
        Cli.assertOneClearErrorLine(Cli.run(engine, "salvage", "--into", other.resolve("keep.txt").toString()),
            ExitCodes.USAGE, "is a file");
        Cli.assertOneClearErrorLine(Cli.run(dir.resolve("missing"), "salvage", "--into", dir.resolve("x").toString()),
            ExitCodes.NO_INPUT, "does not exist");
        assertEquals(before, digestsOf(dir));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    /** @return every regular file under {@code root}, relative path to SHA-256. */
    private static TreeMap<String, String> digestsOf(final Path root)
    {
        final TreeMap<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                digests.put(root.relativize(file).toString(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
        return digests;
    }
}
