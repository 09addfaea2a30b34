package io.stockflow.perf.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.JournalHistory;
import io.stockflow.journal.testing.Slow;
import io.stockflow.perf.BenchMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A small {@code bench longrun}, end to end through the command line: the report's fields
 * are all there with ten samples each, and retention really forgot orders. 200,000
 * commands at 2,000 per second of event time cover 100 s, longer than the shortest
 * retention (60 s), so orders settled in the first 40 s are forgotten. Not a timing test.
 */
class LongRunBenchTest
{
    private static final String[] LISTS = {"heap_after_gc_bytes", "rss_bytes", "held_orders", "snapshot_bytes",
        "journal_bytes", "tenth_eps"};
    private static final String[] SCALARS = {"events", "event_rate", "retention_ms", "orders_forgotten",
        "bytes_per_held_order", "snapshot_hold_max_us", "engine_eps"};

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void smallRunReportsTenSamplesOfEveryFigureAndForgetsOrders(@TempDir final Path scratch) throws IOException
    {
        final Path json = scratch.resolve("longrun.json");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "200000", "--order-retention", "60s",
            "--event-rate", "2000", "--snapshot-every", "50000", "--json", json.toString(), "--out",
            scratch.resolve("out").toString(), "--scratch", scratch.resolve("engine").toString()},
            new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String report = Files.readString(json, StandardCharsets.UTF_8);
        for (final String name : LISTS)
        {
            assertEquals(10, list(report, name).length, name + " in " + report);
        }
        for (final String name : SCALARS)
        {
            assertTrue(Double.isFinite(scalar(report, name)), name + " in " + report);
        }
        assertEquals(200_000, scalar(report, "events"));
        assertEquals(60_000, scalar(report, "retention_ms"));
        assertTrue(Arrays.stream(list(report, "held_orders")).allMatch(held -> held > 0), report);
        assertTrue(Arrays.stream(list(report, "heap_after_gc_bytes")).allMatch(heap -> heap > 0), report);
        assertTrue(scalar(report, "orders_forgotten") > 0, report);
        assertTrue(list(report, "snapshot_bytes")[9] > 0, "a snapshot every 50,000 commands: " + report);
        for (final String ratio : new String[] {"heap_after_gc", "rss", "held_orders", "snapshot_bytes"})
        {
            assertTrue(report.contains("\"" + ratio + "\":"), ratio + " in " + report);
        }
        assertTrue(report.contains("\"bounded\":true") || report.contains("\"bounded\":false"), report);
        assertTrue(report.contains("\"env\":{"), report);
        final String svg = Files.readString(scratch.resolve("out").resolve("longrun.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.contains("held orders") && svg.contains("heap after GC") && svg.contains("RSS"), svg);
        assertTrue(out.toString().contains("bytes per held order"), out.toString());
        try (Stream<Path> left = Files.list(scratch.resolve("engine")))
        {
            assertFalse(left.findAny().isPresent(), "the scratch engine directory is deleted after the run");
        }
    }

    /**
     * With archival into a directory, the run reports the engine directory's and the archive's
     * bytes and the cycles archived, and its self-check replays the archive and the journal
     * together. How many cycles roll over in a run this short depends on the wall clock, so the
     * test checks that the figures agree with what is in the archive directory, not a count.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void archivalRunReportsTheDirectoryAndArchiveAndReplaysThroughTheArchive(@TempDir final Path scratch)
        throws IOException
    {
        final Path json = scratch.resolve("longrun.json");
        final Path archive = scratch.resolve("archive");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "200000", "--order-retention", "60s",
            "--event-rate", "2000", "--snapshot-every", "20000", "--roll-cycle", "TEST_SECONDLY", "--archive-into",
            archive.toString(), "--json", json.toString(), "--out", scratch.resolve("out").toString(), "--scratch",
            scratch.resolve("engine").toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String report = Files.readString(json, StandardCharsets.UTF_8);
        final double[] directory = list(report, "engine_directory_bytes");
        final double[] journal = list(report, "journal_bytes");
        final double[] archived = list(report, "archived_cycles");
        final double[] archiveBytes = list(report, "archive_bytes");
        assertEquals(10, directory.length, report);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(directory[i] >= journal[i] && journal[i] > 0, "the directory holds the journal: " + report);
            assertTrue(archived[i] == 0 || archiveBytes[i] > 0, "archived cycles take bytes in the archive: " + report);
            assertTrue(i == 0 || archived[i] >= archived[i - 1] && archiveBytes[i] >= archiveBytes[i - 1],
                "the archive only grows: " + report);
        }
        try (Stream<Path> cycles = Files.list(archive).filter(file -> file.toString().endsWith(".cq4")))
        {
            assertEquals((long)archived[9], cycles.count(), "cycle files in the archive: " + report);
        }
        assertTrue(report.contains("\"engine_directory_bytes\":") && report.contains("\"disk_bounded\":"), report);
        assertTrue(out.toString().contains("a replay of the archive and the journal together"), out.toString());
        final String svg = Files.readString(scratch.resolve("out").resolve("longrun.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.contains("engine directory on disk"), svg);
    }

    /**
     * In delete mode the cycle files behind the oldest retained snapshot are deleted: the run counts
     * them, no archive is written anywhere (the report's archive bytes are 0 and the journal's
     * history record names none), the directory's history then starts after sequence 1 but no later
     * than what the oldest retained snapshot needs, and the self-check recovers from the newest
     * snapshot plus the journal's tail (a replay from sequence 1 is no longer possible) to the
     * engine's hash, or the run would fail. The engine directory is kept ({@code --dir}) to read its
     * history and snapshots after.
     */
    @Test
    @Slow
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void deleteRunCountsTheDeletedCyclesWritesNoArchiveAndRecoversFromTheNewestSnapshot(@TempDir final Path scratch)
        throws IOException
    {
        final Path json = scratch.resolve("longrun.json");
        final Path engineDirectory = scratch.resolve("engine");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "200000", "--order-retention", "60s",
            "--event-rate", "2000", "--snapshot-every", "20000", "--roll-cycle", "TEST_SECONDLY", "--archive-delete",
            "--json", json.toString(), "--out", scratch.resolve("out").toString(), "--dir",
            engineDirectory.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(ExitCodes.OK, status, out + "\n" + err);
        final String report = Files.readString(json, StandardCharsets.UTF_8);
        assertTrue(report.contains("\"archival\":\"delete\""), report);
        final double[] directory = list(report, "engine_directory_bytes");
        final double[] journal = list(report, "journal_bytes");
        final double[] snapshot = list(report, "snapshot_bytes");
        final double[] archived = list(report, "archived_cycles");
        final double[] archiveBytes = list(report, "archive_bytes");
        assertEquals(10, directory.length, report);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(journal[i] > 0 && directory[i] >= journal[i] + snapshot[i],
                "the directory holds the journal and the newest snapshot: " + report);
            assertEquals(0, archiveBytes[i], "delete mode writes no archive: " + report);
            assertTrue(i == 0 || archived[i] >= archived[i - 1], "deleted cycles only add up: " + report);
        }
        assertTrue(archived[9] > 0, "ten samples seconds apart on a journal rolling every second: " + report);
        try (Stream<Path> left = Files.list(scratch))
        {
            assertEquals(Set.of("longrun.json", "out", "engine"),
                left.map(path -> path.getFileName().toString()).collect(Collectors.toSet()),
                "nothing but the report, the plot and the engine directory");
        }
        final JournalHistory history =
            JournalHistory.read(EngineConfig.journalDirectoryOf(engineDirectory)).orElseThrow();
        assertNull(history.archive(), "deleted, not archived anywhere: " + history);
        // A pass after the last sample may delete more (the recheck), never less.
        assertTrue(history.archivedCycles() >= archived[9], history + " vs " + report);
        final SnapshotMetadata oldest = new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory))
            .oldestUsable(200_000, (unusable, why) -> fail(unusable + ": " + why));
        assertTrue(history.firstSequence() > 1 && history.firstSequence() <= oldest.lastSequence() + 1,
            "the history starts after sequence 1, at most just after the oldest snapshot: " + history + ", "
                + oldest);
        assertTrue(out.toString().contains("the newest snapshot plus a replay of the journal's tail"),
            out.toString());
    }

    @Test
    void refusesBothArchivalModes()
    {
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "1000", "--order-retention", "60s",
            "--archive-into", "archive", "--archive-delete", "--json", "unused.json"},
            new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err.toString().contains("at most one of --archive-into"), err.toString());
    }

    @Test
    void refusesAnArchiveAgeWithoutAModeAsRunDoes()
    {
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "1000", "--order-retention", "60s",
            "--archive-older-than", "1h", "--json", "unused.json"}, new PrintWriter(new StringWriter()),
            new PrintWriter(err));

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err.toString().contains("--archive-older-than needs --archive-into ARCHIVE or --archive-delete"),
            err.toString());
    }

    @Test
    void refusesABadRetentionAsRunDoes()
    {
        final StringWriter err = new StringWriter();

        final int status = BenchMain.execute(new String[] {"longrun", "--events", "1000", "--order-retention", "5s",
            "--json", "unused.json"}, new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err.toString().contains("60000..31536000000"), err.toString());
    }

    private static double[] list(final String json, final String name)
    {
        final Matcher matcher = Pattern.compile("\"" + name + "\":\\[([^\\]]*)]").matcher(json);
        assertTrue(matcher.find(), name + " in " + json);
        return Arrays.stream(matcher.group(1).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double scalar(final String json, final String name)
    {
        final Matcher matcher = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(matcher.find(), name + " in " + json);
        return Double.parseDouble(matcher.group(1));
    }
}
