package io.stockflow.cli;

import io.stockflow.journal.CycleFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command end to end through {@link StockflowCommand#execute}: output, error stream and exit status. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandsEndToEndTest
{
    private static final String DOMAIN_EXAMPLES = String.join("\n",
        "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}",
        "{\"ts\":1700000000001,\"type\":\"ADJUST\",\"sku\":1,\"delta\":-5}",
        "{\"ts\":1700000000002,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":0,"
            + "\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999}]}",
        "{\"ts\":1700000000003,\"type\":\"CANCEL\",\"order\":10}",
        "{\"ts\":1700000000004,\"type\":\"SHIP\",\"order\":11}",
        "{\"ts\":1700000000005,\"type\":\"DELIVER\",\"order\":11}",
        "{\"ts\":1700000000006,\"type\":\"RETURN\",\"order\":11}") + "\n";

    @TempDir
    Path dir;

    @Test
    void runOnAnExistingDirectoryContinuesTheJournal()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), DOMAIN_EXAMPLES);
        Cli.run(engine, "run", "--input", input.toString()).ok();

        final Cli.Result again = Cli.run(engine, "run", "--input", input.toString()).ok();

        assertTrue(again.out.contains("commands     7 (sequence 8..14)"), again::describe);
        assertTrue(again.out.contains("last seq     14"), again::describe);
        assertEquals("", again.err, again::describe);
        assertEquals(15, Cli.run(engine, "dump").ok().out.lines().count(), "the parameters line and 14 commands");
    }

    @Test
    void stateAsJsonIsTheDomainExampleAfterTheDomainExampleCommands()
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), DOMAIN_EXAMPLES).toString()).ok();

        final Cli.Result state = Cli.run(engine, "state", "--format", "json").ok();

        assertEquals("{\"events\":7,\"lastSeq\":7,\"eventTime\":1700000000006,\"stateHash\":\"" + state.stateHash()
            + "\",\"retentionMs\":604800000,\"orderCapacity\":16777216,\"skuCapacity\":1048576,\"ordersForgotten\":0,"
            + "\"skus\":[{\"sku\":1,\"onHand\":95,\"reserved\":0}],\"orders\":[{\"order\":10,\"account\":7,"
            + "\"status\":\"CANCELLED\",\"changedAt\":1700000000003,\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999}]}]}\n",
            state.out);
        assertEquals("", state.err);
    }

    @Test
    void stateAsTableListsSkusAndOrdersWithTheDeadlineOfReservedOrders()
    {
        final Path engine = Journals.goldenEngine(dir);

        final Cli.Result table = Cli.run(engine, "state", "--format", "table").ok();

        final String hash = Cli.run(engine, "state").ok().stateHash();
        assertTrue(table.out.startsWith("events 1037   lastSeq 1037   eventTime 1700000011008 "), table::describe);
        assertTrue(table.out.contains("stateHash " + hash), table::describe);
        assertTrue(table.out.contains("SKUs: 2"), table::describe);
        assertTrue(table.out.matches("(?s).*\\n +5 +1000000000000 +1 +999999999999\\n.*"), table::describe);
        assertTrue(table.out.contains("Orders: 7"), table::describe);
        assertTrue(table.out.contains("retentionMs 604800000   orderCapacity 16777216   skuCapacity 1048576"),
            table::describe);
        assertTrue(table.out.matches("(?s).*\\n +31 +9 RESERVED +1700000911007 +\\d+  1 x 4 @ 250, 5 x 1 @ 100\\n.*"),
            table::describe);
        assertTrue(table.out.matches("(?s).*\\n +24 +8 EXPIRED +\\d+  1 x 3 @ 500\\n.*"), table::describe);
    }

    @Test
    void replayReportsCountsRejectionsExpiriesAndTheStateHash()
    {
        final Path engine = Journals.goldenEngine(dir);
        final String hash = Cli.run(engine, "state").ok().stateHash();

        final Cli.Result replay = Cli.run(engine, "replay").ok();

        assertTrue(replay.out.contains("replayed     1,037 events (sequence 1..1037, event time "
            + "1700000000000..1700000011008)"), replay::describe);
        assertTrue(replay.out.contains("by type      RESTOCK 1,006  ADJUST 5  PLACE 10  CANCEL 3  SHIP 5  DELIVER 4  "
            + "RETURN 4"), replay::describe);
        assertTrue(replay.out.contains("rejected     23: INVALID 7, LIMIT_EXCEEDED 3"), replay::describe);
        assertTrue(replay.out.contains("expiries     1"), replay::describe);
        assertTrue(replay.out.contains("state hash   " + hash), replay::describe);
    }

    @Test
    void replayToSequenceAndToTimeStopThereWithTheStateAsOfThen()
    {
        final Path engine = Journals.goldenEngine(dir);
        final Path examples = dir.resolve("examples");
        Cli.run(examples, "run", "--input", Cli.write(dir.resolve("in.jsonl"), DOMAIN_EXAMPLES).toString()).ok();
        final String hashAfterSeven = Cli.run(examples, "state").ok().stateHash();

        final Cli.Result toSeq = Cli.run(engine, "replay", "--to-seq", "7", "--json").ok();
        final Cli.Result toTime = Cli.run(engine, "replay", "--to-time", "1700000000006", "--json").ok();

        for (final Cli.Result replay : List.of(toSeq, toTime))
        {
            assertTrue(replay.out.startsWith("{\"snapshot\":null,\"events\":7,\"firstSeq\":1,\"lastSeq\":7,"
                + "\"eventTime\":1700000000006,"), replay::describe);
            assertEquals(hashAfterSeven, replay.stateHash(), replay::describe);
        }
    }

    @Test
    void replayFromSequenceUsesTheSnapshotBeforeItUnlessFullAndGivesTheSameHash()
    {
        final Path engine = Journals.goldenEngine(dir);
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("more.jsonl"), Journals.restocks(20)).toString())
            .ok();
        final String hash = Cli.run(engine, "state", "--full").ok().stateHash();

        final Cli.Result fromSnapshot = Cli.run(engine, "replay", "--from-seq", "1040", "--json").ok();
        final Cli.Result full = Cli.run(engine, "replay", "--from-seq", "1040", "--full", "--json").ok();

        assertTrue(fromSnapshot.out.startsWith("{\"snapshot\":\"snapshot-00000000000000001037\",\"events\":18,"
            + "\"firstSeq\":1040,\"lastSeq\":1057,"), fromSnapshot::describe);
        assertTrue(full.out.startsWith("{\"snapshot\":null,\"events\":18,\"firstSeq\":1040,\"lastSeq\":1057,"),
            full::describe);
        assertTrue(full.out.contains("\"byType\":{\"RESTOCK\":18,\"ADJUST\":0,"), full::describe);
        assertEquals(hash, fromSnapshot.stateHash());
        assertEquals(hash, full.stateHash());
    }

    @Test
    void verifyReportsOkForAHealthyDirectory()
    {
        final Path engine = Journals.goldenEngine(dir);

        final Cli.Result verify = Cli.run(engine, "verify").ok();

        assertTrue(verify.out.contains("records      1,037 checked (sequence 1..1037)"), verify::describe);
        assertTrue(verify.out.contains("snapshot     snapshot-00000000000000001037: valid"), verify::describe);
        assertTrue(verify.out.contains("invariants   hold"), verify::describe);
        assertTrue(verify.out.endsWith("verify       OK\n"), verify::describe);
        assertEquals("", verify.err, verify::describe);
    }

    @Test
    void verifyNamesFileOffsetAndSequenceOfAByteFlippedInTheMiddleOfTheJournal()
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(40)).toString()).ok();
        final Path cycleFile = Journals.flipPayloadByteOfRestock(engine, 20);

        final Cli.Result verify = Cli.run(engine, "verify");

        assertEquals(ExitCodes.DATA_ERROR, verify.status, verify::describe);
        final List<String> faults = verify.out.lines().filter(line -> line.startsWith("FAULT"))
            .collect(Collectors.toList());
        assertEquals(1, faults.size(), verify::describe);
        assertTrue(faults.get(0).contains("file " + cycleFile), verify::describe);
        assertTrue(faults.get(0).matches(".*offset \\d+.*"), verify::describe);
        assertTrue(faults.get(0).contains("sequence 20"), verify::describe);
        assertTrue(verify.out.contains("records      19 whole records before the first fault"), verify::describe);
        assertTrue(verify.out.endsWith("verify       1 fault(s)\n"), verify::describe);
    }

    @Test
    void readersRefuseAJournalCorruptedInTheMiddleWithOneLineAndStatus65()
    {
        final Path engine = dir.resolve("engine");
        Cli.run(engine, "run", "--input", Cli.write(dir.resolve("in.jsonl"), Journals.restocks(40)).toString()).ok();
        Journals.flipPayloadByteOfRestock(engine, 20);

        for (final String[] command : List.of(new String[] {"state", "--full"}, new String[] {"replay"},
            new String[] {"dump"}))
        {
            Cli.assertOneClearErrorLine(Cli.run(engine, command[0], Arrays.copyOfRange(command, 1,
                command.length)), ExitCodes.DATA_ERROR, "CRC32C mismatch", "position=", "sequence=20");
        }
    }

    @Test
    void verifyListsACorruptedSnapshotAsAFault()
    {
        final Path engine = Journals.goldenEngine(dir);
        Journals.flipMiddleByte(Journals.onlySnapshot(engine).resolve("orders.cm3"));

        final Cli.Result verify = Cli.run(engine, "verify");

        assertEquals(ExitCodes.DATA_ERROR, verify.status, verify::describe);
        assertTrue(verify.out.contains("FAULT        snapshot snapshot-00000000000000001037 is invalid: orders.cm3 "
            + "fails its CRC32C check"), verify::describe);
        assertEquals(Cli.resource("golden/state.json"), Cli.run(engine, "state").ok().out,
            "state ignores the bad snapshot and replays the journal");
    }

    @Test
    void dumpPrintsTheRequestedSequenceRange()
    {
        final Path engine = Journals.goldenEngine(dir);
        final List<String> golden = Cli.resource("golden/dump.jsonl").lines().collect(Collectors.toList());

        // golden.get(0) is the parameters line, which only a dump from the start writes.
        assertEquals(String.join("\n", golden.subList(5, 8)) + "\n",
            Cli.run(engine, "dump", "--from-seq", "5", "--to-seq", "7").ok().out);
        assertEquals(String.join("\n", golden.subList(1031, 1038)) + "\n",
            Cli.run(engine, "dump", "--from-seq", "1031").ok().out);
        assertEquals(golden.get(0) + "\n" + golden.get(1) + "\n", Cli.run(engine, "dump", "--to-seq", "1").ok().out);
        assertEquals("", Cli.run(engine, "dump", "--from-seq", "2000").ok().out);
        Cli.assertOneClearErrorLine(Cli.run(engine, "dump", "--from-seq", "7", "--to-seq", "5"), ExitCodes.USAGE,
            "--to-seq 5 is before --from-seq 7");
        Cli.assertOneClearErrorLine(Cli.run(engine, "dump", "--from-seq", "0"), ExitCodes.USAGE, "--from-seq");
    }

    @Test
    void infoDescribesRecordsCycleFilesAndSnapshots()
    {
        final Path engine = Journals.goldenEngine(dir);
        final String hash = Cli.run(engine, "state").ok().stateHash();

        final Cli.Result info = Cli.run(engine, "info").ok();

        assertTrue(info.out.contains("directory    " + engine.toAbsolutePath()), info::describe);
        assertTrue(info.out.contains("records      1,037 (sequence 1..1037)"), info::describe);
        assertTrue(info.out.contains("event time   1700000000000 (2023-11-14T22:13:20Z) .. 1700000011008"),
            info::describe);
        assertTrue(info.out.contains("cycle files  1"), info::describe);
        assertTrue(info.out.matches("(?s).*\\n  \\S+\\.cq4 +apparent +[0-9,]+ B +on disk +[0-9,]+ B\\n.*"),
            info::describe);
        assertTrue(info.out.contains("snapshots    1"), info::describe);
        assertTrue(info.out.contains("snapshot-00000000000000001037    sequence 1037, event time 1700000011008, "
            + "state hash " + hash + ", 2 SKUs, 7 orders"), info::describe);
    }

    @Test
    void infoListsTheCycleFilesAWritersOpenMovedAside() throws IOException
    {
        final Path engine = Journals.goldenEngine(dir);
        assertFalse(Cli.run(engine, "info").ok().out.contains("moved aside"));
        // As a writer's open names a file whose Chronicle header is zero: here, 64 KiB of zeros.
        final Path aside = engine.resolve("journal").resolve("20231114-2300.cq4" + CycleFiles.INCOMPLETE_MARK
            + "1700000000000");
        Files.write(aside, new byte[1 << 16]);

        final Cli.Result info = Cli.run(engine, "info").ok();

        assertTrue(info.out.contains("moved aside  1 file(s) whose Chronicle header was zero or not complete"),
            info::describe);
        assertTrue(info.out.matches("(?s).*\\n  " + Pattern.quote(aside.getFileName().toString())
            + " +apparent +65,536 B +on disk +[0-9,]+ B\\n.*"), info::describe);
        assertTrue(info.out.contains("records      1,037 (sequence 1..1037)"), "the journal reads as before: "
            + info.describe());
    }

    @Test
    void affinityPrintsTheDefaultPlanForThisMachine()
    {
        final Cli.Result affinity = Cli.run("affinity").ok();

        assertTrue(affinity.out.contains("STAGE"), affinity::describe);
        assertTrue(affinity.out.matches("(?s)affinity plan: .*, topology (parallel|fused) \\(default for .*"),
            affinity::describe);
        assertTrue(affinity.out.contains(affinity.out.contains("topology fused") ? "fused" : "journal"),
            affinity::describe);
        assertEquals("", affinity.err, affinity::describe);
    }

    @Test
    void affinityRefusesABadPlanWithEveryReasonOnceWithItsLineNumber()
    {
        final Path plan = Cli.write(dir.resolve("bad.properties"), "journal.cpu = 99\nnot a key value line\n");

        final Cli.Result affinity = Cli.run("affinity", "--plan", plan.toString());

        assertEquals(ExitCodes.DATA_ERROR, affinity.status, affinity::describe);
        final List<String> lines = affinity.errLines();
        assertEquals(3, lines.size(), affinity::describe);
        assertEquals("stockflow affinity: invalid affinity plan " + plan + ":", lines.get(0));
        assertTrue(lines.get(1).startsWith("  " + plan + ":1: "), affinity::describe);
        assertTrue(lines.get(2).startsWith("  " + plan + ":2: "), affinity::describe);
    }

    @Test
    void affinityRefusesABestEffortPlanWhoseChoiceFallsBackAndShowsWhatTheEngineWouldDo()
    {
        final Path plan = Cli.write(dir.resolve("cpu4095.properties"),
            "mode = best-effort\ntopology = parallel\nstage.journal.cpu = 4095\nstage.journal.wait = blocking\n");

        final Cli.Result affinity = Cli.run("affinity", "--plan", plan.toString());

        assertEquals(ExitCodes.DATA_ERROR, affinity.status, affinity::describe);
        assertTrue(affinity.out.contains("STAGE"), "the effective plan is still shown: " + affinity.describe());
        final List<String> lines = affinity.errLines();
        assertTrue(lines.get(0).startsWith("stockflow affinity: plan " + plan + " is not valid as written"),
            affinity::describe);
        assertTrue(lines.size() >= 2 && lines.get(1).startsWith("  "), affinity::describe);
    }

    @Test
    void affinityWithAMissingPlanFileExits66()
    {
        Cli.assertOneClearErrorLine(Cli.run("affinity", "--plan", dir.resolve("none.properties").toString()),
            ExitCodes.NO_INPUT, "none.properties", "does not exist");
    }

    @Test
    void statAfterARunShowsTheCountersOfAnEngineThatStoppedCleanly()
    {
        final Path engine = Journals.goldenEngine(dir);

        final Cli.Result stat = Cli.run(engine, "stat").ok();

        assertTrue(stat.out.lines().findFirst().orElse("").endsWith("stopped cleanly"), stat::describe);
        assertTrue(stat.out.matches("(?s).*\\npublisher +published +1,037 .*"), stat::describe);
        assertTrue(stat.out.matches("(?s).*\\njournal +journal_sequence +1,037 .*"), stat::describe);
    }

    @Test
    void statWithoutACountersFileExits66() throws Exception
    {
        final Path engine = dir.resolve("engine");
        Files.createDirectories(engine.resolve("journal"));

        Cli.assertOneClearErrorLine(Cli.run(engine, "stat"), ExitCodes.NO_INPUT, "no counters", "counters.dat");
    }

    @Test
    void demoWithASmallWorkloadRecoversTheSameStateHash()
    {
        final Path demoDir = dir.resolve("demo");

        final Cli.Result demo = Cli.run("demo", "--events", "20000", "--dir", demoDir.toString());

        demo.ok();
        assertTrue(demo.out.contains("Stockflow demo: 20,000 commands"), demo::describe);
        assertTrue(demo.out.contains("throughput"), demo::describe);
        assertTrue(demo.out.contains("p99"), demo::describe);
        // The steady phase measures its 5 s at 20,000/s and only those: the 2 s lead-in is sent, not counted.
        assertTrue(demo.out.contains("steady rate   20,000 commands/s for 5 s, after 2 s at that rate not measured"),
            demo::describe);
        assertTrue(demo.out.contains("(100,000 commands)"), demo::describe);
        // HotSpot keeps the compilers' time, so both figures are real readings, not -1.
        assertTrue(
            demo.out.matches("(?s).*the JIT compiled [0-9]+ ms in the lead-in and [0-9]+ ms in the measured 5 s.*"),
            demo::describe);
        assertTrue(demo.out.contains("demo OK"), demo::describe);
        assertFalse(demo.out.contains("DIFFERS"), demo::describe);
        assertEquals("", demo.err, demo::describe);
        Cli.run(demoDir, "verify").ok();
    }

    @Test
    void demoRefusesADirectoryThatIsNotEmpty()
    {
        Cli.write(dir.resolve("demo").resolve("something"), "x");

        Cli.assertOneClearErrorLine(Cli.run("demo", "--events", "10", "--dir", dir.resolve("demo").toString()),
            ExitCodes.USAGE, "not empty");
    }

    @Test
    void benchRunDirectlyExplainsToUseTheLauncherWithStatus64()
    {
        Cli.assertOneClearErrorLine(Cli.run("bench", "latency"), ExitCodes.USAGE, "./stockflow bench latency");
    }

    @Test
    void helpListsEveryCommandAndTheExitStatuses()
    {
        final Cli.Result help = Cli.run("--help").ok();

        for (final String command : List.of("demo", "run", "state", "replay", "verify", "dump", "info", "salvage",
            "affinity", "stat", "bench"))
        {
            assertTrue(help.out.matches("(?s).*\\n  " + command + " .*"), () -> command + ": " + help.describe());
        }
        assertTrue(help.out.contains("Exit status: 0 ok, 64 usage"), help::describe);
    }

    @Test
    void everyCommandHasHelp()
    {
        for (final String command : List.of("demo", "run", "state", "replay", "verify", "dump", "info", "salvage",
            "affinity", "stat", "bench"))
        {
            final Cli.Result help = Cli.run(command, "--help").ok();
            assertTrue(help.out.startsWith("Usage: stockflow " + command), help::describe);
        }
        final Cli.Result run = Cli.run("run", "--help").ok();
        assertTrue(run.out.contains("--input=FILE|-"), run::describe);
        assertTrue(run.out.contains("--results=FILE"), run::describe);
        assertTrue(run.out.contains("--journal=DIR"), run::describe);
    }
}
