package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.StockflowEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of bad input gets one clear line on stderr, its sysexits status, no
 * stack trace, and no change to the journal beyond the commands before the bad line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest
{
    private static final List<String> READ_ONLY_COMMANDS = List.of("state", "replay", "verify", "dump", "info", "stat");
    private static final int GOOD_LINES_BEFORE = 5;

    @TempDir
    Path dir;

    @Test
    void readOnlyCommandsOnAMissingDirectoryExit66()
    {
        final Path missing = dir.resolve("missing");
        for (final String command : READ_ONLY_COMMANDS)
        {
            Cli.assertOneClearErrorLine(Cli.run(missing, command), ExitCodes.NO_INPUT, "does not exist");
        }
        assertFalse(Files.exists(missing));
    }

    @Test
    void readOnlyCommandsOnADirectoryThatIsNotAJournalExit66()
    {
        Cli.write(dir.resolve("other").resolve("notes.txt"), "not a journal");
        for (final String command : READ_ONLY_COMMANDS)
        {
            Cli.assertOneClearErrorLine(Cli.run(dir.resolve("other"), command), ExitCodes.NO_INPUT,
                "is not a Stockflow engine directory");
        }
    }

    @Test
    void aDamagedQueueMetadataFileIsADataErrorNamingTheFileAndWhatToDoAndIsLeftAlone() throws IOException
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(20));
        Cli.run(engine, "run", "--input", input.toString(), "--quiet").ok();
        final Path metadata = engine.resolve("journal").resolve("metadata.cq4t");
        final byte[] garbage = new byte[(int)Files.size(metadata)];
        for (int i = 0; i < garbage.length; i++)
        {
            garbage[i] = (byte)(i * 31 + 7);
        }
        Files.write(metadata, garbage);
        for (final String command : List.of("state", "replay", "verify", "dump", "info"))
        {
            final Cli.Result refused = Cli.run(engine, command);
            assertEquals(ExitCodes.DATA_ERROR, refused.status, refused::describe);
            assertTrue(refused.err.contains(metadata + " is damaged") && refused.err.contains("move it out"),
                refused::describe);
            assertFalse(refused.err.contains("salvage") || refused.err.contains("\tat "), refused::describe);
        }
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--quiet"),
            ExitCodes.DATA_ERROR, metadata + " is damaged");
        assertTrue(Arrays.equals(garbage, Files.readAllBytes(metadata)), "left as it was");
    }

    @Test
    void aCycleFileCutShortIsReportedAsNotReadableAtOpenAndItsRecordsComeBackOnceItIsExtended() throws IOException
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(20)).toString(),
            "--quiet").ok();
        final Path cycleFile = Journals.cycleFiles(engine).get(0);
        final long fullLength = Files.size(cycleFile);
        try (RandomAccessFile file = new RandomAccessFile(cycleFile.toFile(), "rw"))
        {
            file.setLength(fullLength / 2);
        }

        final Cli.Result verify = Cli.run(engine, "verify");
        assertEquals(ExitCodes.DATA_ERROR, verify.status, verify::describe);
        assertTrue(verify.out.contains("records      not checked: the journal cannot be opened"), verify::describe);
        assertTrue(verify.out.contains("truncate -s " + fullLength), verify::describe);
        // Salvage in place meets the same refusal at open, so the refusal does not send the user there.
        final Cli.Result state = Cli.run(engine, "state");
        Cli.assertOneClearErrorLine(state, ExitCodes.DATA_ERROR, "truncated");
        assertFalse(state.err.contains("salvage --into"), state::describe);

        try (RandomAccessFile file = new RandomAccessFile(cycleFile.toFile(), "rw"))
        {
            file.setLength(fullLength);
        }
        assertTrue(Cli.run(engine, "verify").ok().out.contains("records      20 checked"), "records before the cut");
    }

    @Test
    void everyCycleFileGoneBesideASnapshotIsTheMissingRangeWith66NotAnEmptyState() throws IOException
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(20)).toString(),
            "--quiet").ok();
        for (final Path cycleFile : Journals.cycleFiles(engine))
        {
            Files.delete(cycleFile);
        }
        for (final String command : List.of("state", "replay", "verify", "dump", "info"))
        {
            Cli.assertOneClearErrorLine(Cli.run(engine, command), ExitCodes.NO_INPUT, "sequences 1..20 are not in",
                "no cycle file holds them");
        }
        // stat reads only the counters, which the lost records do not make wrong.
        assertTrue(Cli.run(engine, "stat").ok().out.contains("published"));
    }

    @Test
    void runRefusesADirectoryThatHoldsSomethingElseAndLeavesItAlone()
    {
        final Path other = dir.resolve("other");
        Cli.write(other.resolve("notes.txt"), "not a journal");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3));

        Cli.assertOneClearErrorLine(Cli.run(other, "run", "--input", input.toString()), ExitCodes.NO_INPUT,
            "is not empty and is not a Stockflow engine directory");

        assertEquals(List.of("notes.txt"), names(other));
    }

    @Test
    void everyCommandRefusesAFileGivenAsTheEngineDirectory()
    {
        final Path file = Cli.write(dir.resolve("file.txt"), "x");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3));
        for (final String command : READ_ONLY_COMMANDS)
        {
            Cli.assertOneClearErrorLine(Cli.run(file, command), ExitCodes.NO_INPUT, "is a file");
        }
        Cli.assertOneClearErrorLine(Cli.run(file, "run", "--input", input.toString()), ExitCodes.NO_INPUT,
            "is a file");
        assertEquals("x", Cli.read(file));
    }

    @Test
    void runRefusesResultsThatWouldOverwriteTheEngineOrTheInputAndTouchesNothing()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3));
        Cli.run(engine, "run", "--input", input.toString()).ok();
        final Map<String, String> before = DirectoryFingerprint.of(engine);

        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--results",
            engine.resolve("journal").resolve("metadata.cq4t").toString()), ExitCodes.USAGE,
            "is inside the engine directory");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--results",
            engine.resolve("journal").resolve("..").resolve("results.jsonl").toString()),
            ExitCodes.USAGE, "is inside the engine directory");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--results",
            input.toString()), ExitCodes.USAGE, "is the input file");

        assertEquals(before, DirectoryFingerprint.of(engine), "the engine directory is as it was");
        assertEquals(Journals.restocks(3), Cli.read(input), "the input is as it was");
    }

    @Test
    void runWithAMissingInputFileExits66AndCreatesNothing()
    {
        final Path engine = dir.resolve("engine");

        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", dir.resolve("none.jsonl").toString()),
            ExitCodes.NO_INPUT, "none.jsonl", "does not exist");

        assertFalse(Files.exists(engine));
    }

    @Test
    void runWithADirectoryAsInputExits66()
    {
        Cli.assertOneClearErrorLine(Cli.run(dir.resolve("engine"), "run", "--input", dir.toString()),
            ExitCodes.NO_INPUT, "is a directory");
    }

    @Test
    void runWithAnUnreadableInputFileExits66WhereThePermissionsAreEnforced() throws IOException
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3));
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("---------"));
        final Path engine = dir.resolve("engine");

        final Cli.Result run = Cli.run(engine, "run", "--input", input.toString());

        if (Files.isReadable(input))
        {
            // Root reads a file whatever its mode: the run goes ahead like any other.
            run.ok();
            Journals.assertJournalHolds(engine, Journals.restocks(3).lines().collect(Collectors.toList()));
        }
        else
        {
            Cli.assertOneClearErrorLine(run, ExitCodes.NO_INPUT, "not readable");
            assertFalse(Files.exists(engine));
        }
    }

    @Test
    void runWithAnEmptyInputIsZeroCommandsExits0AndCreatesNothing()
    {
        final Path engine = dir.resolve("engine");
        final Path empty = Cli.write(dir.resolve("empty.jsonl"), "");
        final Path blank = Cli.write(dir.resolve("blank.jsonl"), "\n  \n\n");

        for (final Path input : List.of(empty, blank))
        {
            final Cli.Result run = Cli.run(engine, "run", "--input", input.toString()).ok();
            assertTrue(run.out.contains("commands     0 (" + input + " is empty; nothing was journaled)"),
                run::describe);
            assertTrue(run.out.contains("last seq     0"), run::describe);
            assertTrue(run.err.isBlank(), run::describe);
        }

        assertFalse(Files.exists(engine));
    }

    @Test
    void runWithAnEmptyInputLeavesAnExistingJournalUnchangedAndReportsItsState()
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(4)).toString()).ok();
        final Object before = DirectoryFingerprint.of(engine);
        final String stateHash = Cli.run(engine, "state").ok().stateHash();

        final Cli.Result run = Cli.run(engine, "run", "--input", Cli.write(dir.resolve("empty.jsonl"), "")
            .toString()).ok();

        assertTrue(run.out.contains("commands     0 ("), run::describe);
        assertTrue(run.out.contains("last seq     4"), run::describe);
        assertTrue(run.out.contains("state hash   " + stateHash), run::describe);
        assertEquals(before, DirectoryFingerprint.of(engine));
    }

    static Stream<Arguments> malformedLines()
    {
        return Stream.of(
            Arguments.of("not JSON", "this is not json".getBytes(StandardCharsets.UTF_8), "line 6"),
            Arguments.of("unknown type", "{\"type\":\"TELEPORT\",\"sku\":1}".getBytes(StandardCharsets.UTF_8),
                "line 6"),
            Arguments.of("missing field", "{\"type\":\"RESTOCK\",\"sku\":1}".getBytes(StandardCharsets.UTF_8),
                "line 6"),
            Arguments.of("fraction", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":2.5}".getBytes(StandardCharsets.UTF_8),
                "line 6"),
            Arguments.of("number beyond long",
                "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":9223372036854775808}".getBytes(StandardCharsets.UTF_8),
                "line 6"),
            Arguments.of("NUL byte",
                "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":2\u0000}".getBytes(StandardCharsets.UTF_8),
                "line 6"),
            Arguments.of("invalid UTF-8", concat("{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":2,\"note\":\"",
                new byte[] {(byte)0xC3, (byte)0x28}, "\"}"), "line 6"),
            Arguments.of("array, not an object", "[1,2,3]".getBytes(StandardCharsets.UTF_8), "line 6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLines")
    void runStopsAtAMalformedLineWith65AndJournalsOnlyTheCommandsBeforeIt(
        final String kind, final byte[] badLine, final String where) throws IOException
    {
        final Path engine = dir.resolve("engine");
        final Path input = dir.resolve("in.jsonl");
        try (OutputStream out = Files.newOutputStream(input))
        {
            out.write(Journals.restocks(GOOD_LINES_BEFORE).getBytes(StandardCharsets.UTF_8));
            out.write(badLine);
            out.write(('\n' + Journals.restock(6) + '\n').getBytes(StandardCharsets.UTF_8));
        }

        final Cli.Result run = Cli.run(engine, "run", "--input", input.toString());

        Cli.assertOneClearErrorLine(run, ExitCodes.DATA_ERROR, where + ":", "the 5 command(s) before it are journaled");
        assertTrue(run.out.contains("commands     5 (sequence 1..5)"), run::describe);
        Journals.assertJournalHolds(engine, expectedRestocks(GOOD_LINES_BEFORE));
    }

    @Test
    void runStopsAtALineOfSeveralMegabytesWith65() throws IOException
    {
        final Path engine = dir.resolve("engine");
        final Path input = dir.resolve("in.jsonl");
        try (OutputStream out = Files.newOutputStream(input))
        {
            out.write(Journals.restocks(GOOD_LINES_BEFORE).getBytes(StandardCharsets.UTF_8));
            out.write("{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1,\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            final byte[] pad = new byte[1 << 20];
            java.util.Arrays.fill(pad, (byte)'a');
            for (int i = 0; i < 5; i++)
            {
                out.write(pad);
            }
            out.write(("\"}\n" + Journals.restock(6) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        final Cli.Result run = Cli.run(engine, "run", "--input", input.toString());

        Cli.assertOneClearErrorLine(run, ExitCodes.DATA_ERROR, "line 6: line longer than 1048576 bytes");
        Journals.assertJournalHolds(engine, expectedRestocks(GOOD_LINES_BEFORE));
    }

    @Test
    void runWithABadFirstLineCreatesNothingAndLeavesAnExistingJournalUnchanged()
    {
        final Path fresh = dir.resolve("fresh");
        final Path bad = Cli.write(dir.resolve("bad.jsonl"), "{\"type\":\"RESTOCK\",\"sku\":1.5,\"qty\":1}\n"
            + Journals.restock(1) + "\n");

        Cli.assertOneClearErrorLine(Cli.run(fresh, "run", "--input", bad.toString()), ExitCodes.DATA_ERROR,
            "line 1:", "nothing was journaled");
        assertFalse(Files.exists(fresh));

        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3)).toString()).ok();
        final Object before = DirectoryFingerprint.of(engine);
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", bad.toString()), ExitCodes.DATA_ERROR,
            "line 1:");
        assertEquals(before, DirectoryFingerprint.of(engine));
    }

    @Test
    void aValueOutsideTheRulesIsJournaledAndRejectedNotAFormatError()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,"
            + "\"qty\":-5}\n");

        final Cli.Result run = Cli.run(engine, "run", "--input", input.toString()).ok();

        assertTrue(run.out.contains("rejected     1: INVALID 1"), run::describe);
    }

    @Test
    void unknownOptionsMissingJournalAndBadValuesExit64WithAUsageHint()
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(1));
        final Path engine = dir.resolve("engine");

        Cli.assertOneClearErrorLine(Cli.run("state", "--journal", engine.toString(), "--bogus"), ExitCodes.USAGE,
            "Unknown option: '--bogus'");
        Cli.assertOneClearErrorLine(Cli.run("state"), ExitCodes.USAGE, "--journal");
        Cli.assertOneClearErrorLine(Cli.run("run", "--input", input.toString()), ExitCodes.USAGE, "--journal");
        Cli.assertOneClearErrorLine(Cli.run("teleport"), ExitCodes.USAGE, "teleport");
        Cli.assertOneClearErrorLine(Cli.run(), ExitCodes.USAGE, "stockflow: a command is required");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--max-line-bytes", "0"),
            ExitCodes.USAGE, "--max-line-bytes");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--durability", "never"),
            ExitCodes.USAGE, "--durability");
        Cli.assertOneClearErrorLine(Cli.run(engine, "replay", "--to-seq", "3", "--to-time", "5"), ExitCodes.USAGE,
            "mutually exclusive");
        Cli.assertOneClearErrorLine(Cli.run(engine, "state", "--format", "xml"), ExitCodes.USAGE, "--format");
        Cli.assertOneClearErrorLine(Cli.run("demo", "--events", "0"), ExitCodes.USAGE, "--events");
        assertFalse(Files.exists(engine));
    }

    @Test
    void emptyOrNegativeRangesAndNegativeIntervalsExit64BeforeReadingAnything()
    {
        final Path engine = dir.resolve("engine");

        Cli.assertOneClearErrorLine(Cli.run(engine, "replay", "--from-seq", "3", "--to-seq", "2"), ExitCodes.USAGE,
            "--to-seq 2 is before --from-seq 3");
        Cli.assertOneClearErrorLine(Cli.run(engine, "replay", "--to-seq", "-1"), ExitCodes.USAGE,
            "--to-seq must be >= 1, was -1");
        Cli.assertOneClearErrorLine(Cli.run(engine, "replay", "--to-time", "-5"), ExitCodes.USAGE,
            "--to-time is an event time in epoch milliseconds, >= 0, was -5");
        Cli.assertOneClearErrorLine(Cli.run(engine, "dump", "--to-seq", "0"), ExitCodes.USAGE,
            "--to-seq must be >= 1, was 0");
        Cli.assertOneClearErrorLine(Cli.run(engine, "stat", "--watch", "-1"), ExitCodes.USAGE,
            "--watch takes the seconds between samples");
        Cli.assertOneClearErrorLine(Cli.run(engine, "stat", "--watch", "1", "--samples", "-2"), ExitCodes.USAGE,
            "--samples must be >= 0, was -2");
        assertFalse(Files.exists(engine));
    }

    @Test
    void runWithAResultsFileInAMissingDirectoryFailsBeforeTouchingTheEngineDirectory()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(2));

        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--results",
            dir.resolve("no-such-dir").resolve("results.jsonl").toString()), ExitCodes.IO_ERROR,
            "cannot write results", "does not exist");

        assertFalse(Files.exists(engine));
    }

    @Test
    void runOnADirectoryAnotherEngineIsUsingIsRefusedWith75AndTheJournalKeepsOnlyThatEnginesCommands()
    {
        final Path engineDir = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(3));
        try (StockflowEngine engine = StockflowEngine.builder(EngineConfig.builder(engineDir).build()).build())
        {
            engine.start();
            assertTrue(engine.publisher().restock(Journals.T0 + 1, 1001, Journals.distinctQty(1)) > 0);

            final Cli.Result run = Cli.run(engineDir, "run", "--input", input.toString());

            Cli.assertOneClearErrorLine(run, ExitCodes.TEMP_FAIL, "already open for writing by process pid="
                + ProcessHandle.current().pid(), "only one writer");
            assertTrue(engine.awaitReleased(1, java.time.Duration.ofSeconds(10)));
            final Cli.Result stat = Cli.run(engineDir, "stat").ok();
            assertTrue(stat.out.startsWith("engine pid " + ProcessHandle.current().pid() + ", "), stat::describe);
            assertTrue(stat.out.lines().findFirst().orElse("").endsWith("running"), stat::describe);
            assertTrue(stat.out.matches("(?s).*\\npublisher +published +1 .*"), stat::describe);
        }
        Journals.assertJournalHolds(engineDir, expectedRestocks(1));
    }

    private static List<String> expectedRestocks(final int count)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 1; i <= count; i++)
        {
            lines.add(Journals.restock(i));
        }
        return lines;
    }

    private static List<String> names(final Path directory)
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(final String head, final byte[] middle, final String tail)
    {
        final byte[] a = head.getBytes(StandardCharsets.UTF_8);
        final byte[] c = tail.getBytes(StandardCharsets.UTF_8);
        final byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }
}
