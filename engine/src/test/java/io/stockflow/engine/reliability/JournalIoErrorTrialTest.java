package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * I/O errors injected by {@code strace} into the file operations of an {@code OS_CRASH} engine
 * running the workload in a child JVM, each trial with the behaviour the engine owes that error.
 *
 * <p><b>Journal: fail-stop.</b> A failed {@code fdatasync} of the cycle file (EIO, ENOSPC), a failed
 * {@code ftruncate} sizing the new cycle file at a roll-over (Chronicle sizes each new cycle file,
 * and each further chunk, with {@code ftruncate}), every {@code openat} of the new cycle file failing:
 * the engine must halt (publishers get {@code ENGINE_HALTED}, the reason names the operation and the file),
 * release nothing the journal does not hold, and the directory must reopen with every released
 * outcome ({@link AfterCrashChecks}). The {@code openat} trial fails every open of the file: Chronicle
 * retries a failed create with {@code O_EXCL} at once, which is harmless (nothing was written), so a
 * single failed open is absorbed and not a trial of fail-stop.
 *
 * <p><b>Journal: {@code msync}, the engine keeps serving.</b> In {@code OS_CRASH} the journal's only
 * {@code msync} calls are Chronicle's {@code MS_ASYNC} on unmapping a chunk (SyncMode ASYNC), made
 * by its background releaser after a roll-over and at close. Chronicle logs a failure and goes on,
 * and that is right: the durability point that gates every release is the per-commit
 * {@code fdatasync}, which writes back the pages of the file whether mapped or not, and on Linux
 * {@code MS_ASYNC} starts no I/O, so its error says nothing about the data (a real write-back error
 * is reported to the next {@code fdatasync}, the first trials). An {@code msync} has an address,
 * not a file, so {@code -P} cannot select it: it is injected process-wide, with no snapshot thread
 * (whose Chronicle Map files are msynced too).
 *
 * <p><b>Not injected into the journal.</b> {@code rename}: the journal renames only when a directory
 * is created or opened (metadata written atomically, damaged cycle files moved aside by tail
 * recovery), never while the engine runs, so such a trial could not inject. {@code fallocate}: a
 * trace of a run ({@code strace -f -e trace=ftruncate,fallocate}) shows Chronicle Queue grows cycle
 * files with {@code ftruncate} only; {@code fallocate} comes from Chronicle Map sizing a snapshot's
 * files, and is tried there.
 *
 * <p><b>Snapshot writer: counted, reported, retried, the engine keeps serving.</b> A failed
 * {@code fdatasync} of a snapshot file, every {@code fallocate} sizing one (Chronicle Map retries a
 * failed one twice, so a single failure is absorbed), or the {@code rename} publishing the snapshot
 * directory: a snapshot is an optimisation of recovery, so its failure must not halt
 * the engine. It is counted ({@code SNAPSHOT_FAILURES}, read from the counters file by the parent),
 * logged, the next trigger writes a snapshot, and the directory recovers from that snapshot to the
 * state of a full replay.
 *
 * <p>Every trial requires an {@code (INJECTED)} line in the strace output: one without tested
 * nothing and fails. strace counts {@code when=N} per thread, and only the calls its {@code -P}
 * path filter selects. Needs {@code strace}; skipped with the reason without it.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JournalIoErrorTrialTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("io-error-trials");
    /** Park a millisecond every this many commands: the trials' journals stay small enough to check quickly. */
    private static final int PAUSE_EVERY = 20;
    /** A snapshot every this many events in the snapshot trials; the first one is the one that fails. */
    private static final long SNAPSHOT_EVERY = 20_000;
    /** How far ahead of the child's start the roll-over trials' new cycle file lies (JVM start-up included). */
    private static final int SECONDS_AHEAD = 5;
    private static final Pattern INJECTED = Pattern.compile("\\(INJECTED\\)");

    @TempDir
    Path directory;

    /** What the engine owes the injected error. */
    private enum Expected
    {
        /** Halts fail-stop; the reason names the operation and the file. */
        HALTS,
        /** Keeps serving until told to stop; the journal rolled over a few times meanwhile. */
        KEEPS_SERVING,
        /** Keeps serving; the failed snapshot is counted and a later one written. */
        KEEPS_SERVING_SNAPSHOT_COUNTED
    }

    /**
     * One trial.
     *
     * @param name      shown in the report.
     * @param syscall   the system call strace fails.
     * @param error     the errno it returns.
     * @param when      strace's {@code when=} (per thread, among the calls selected).
     * @param rollCycle the journal's roll cycle.
     * @param snapshots snapshot every this many events (0: none).
     * @param target    the path {@code -P} selects calls on, from the engine directory; null: every call.
     * @param expected  what the engine must do.
     * @param mentions  what the halt reason or the log must contain, from the target.
     */
    record Trial(String name, String syscall, String error, String when, JournalRollCycle rollCycle, long snapshots,
        Function<Path, Path> target, Expected expected, Function<Path, List<String>> mentions)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    static Stream<Trial> trials()
    {
        final List<Trial> trials = new ArrayList<>();
        for (final int failAt : new int[] {3, 40, 200})
        {
            trials.add(new Trial("fdatasync " + failAt + " of the cycle file fails with EIO", "fdatasync", "EIO",
                Integer.toString(failAt), JournalRollCycle.HOURLY, 0, JournalIoErrorTrialTest::currentHourlyCycleFile,
                Expected.HALTS, file -> List.of("fdatasync of " + file, "Input/output error")));
        }
        trials.add(new Trial("fdatasync 40 of the cycle file fails with ENOSPC", "fdatasync", "ENOSPC", "40",
            JournalRollCycle.HOURLY, 0, JournalIoErrorTrialTest::currentHourlyCycleFile, Expected.HALTS,
            file -> List.of("fdatasync of " + file, "No space left on device")));
        trials.add(new Trial("ftruncate sizing the new cycle file at a roll-over fails with EIO", "ftruncate", "EIO",
            "1", JournalRollCycle.TEST_SECONDLY, 0, JournalIoErrorTrialTest::secondlyCycleFileAhead, Expected.HALTS,
            file -> List.of("resizing " + file + " failed", "Failed to resize", "Input/output error")));
        trials.add(new Trial("every openat of the new cycle file at a roll-over fails with EIO", "openat", "EIO",
            "1+", JournalRollCycle.TEST_SECONDLY, 0, JournalIoErrorTrialTest::secondlyCycleFileAhead, Expected.HALTS,
            file -> List.of("opening or resizing " + file + " failed", "FileNotFoundException: " + file,
                "Input/output error")));
        trials.add(new Trial("every msync (Chronicle's MS_ASYNC on unmap) fails with EIO", "msync", "EIO", "1+",
            JournalRollCycle.TEST_SECONDLY, 0, null, Expected.KEEPS_SERVING,
            none -> List.of("msync failed, Input/output error")));
        trials.add(new Trial("fdatasync of a snapshot file fails with EIO", "fdatasync", "EIO", "1",
            JournalRollCycle.HOURLY, SNAPSHOT_EVERY, engine -> firstSnapshotTemporary(engine).resolve("orders.cm3"),
            Expected.KEEPS_SERVING_SNAPSHOT_COUNTED,
            file -> List.of("fdatasync of " + file + " failed: Input/output error")));
        trials.add(new Trial("every fallocate sizing a snapshot file fails with EIO", "fallocate", "EIO", "1+",
            JournalRollCycle.HOURLY, SNAPSHOT_EVERY, engine -> firstSnapshotTemporary(engine).resolve("skus.cm3"),
            Expected.KEEPS_SERVING_SNAPSHOT_COUNTED, file -> List.of("posix_fallocate() returned -1")));
        trials.add(new Trial("rename publishing a snapshot fails with EIO", "rename", "EIO", "1",
            JournalRollCycle.HOURLY, SNAPSHOT_EVERY, JournalIoErrorTrialTest::firstSnapshotTemporary,
            Expected.KEEPS_SERVING_SNAPSHOT_COUNTED, temporary -> List.of(temporary + " -> ", "Input/output error")));
        return trials.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trials")
    void theEngineMeetsTheInjectedErrorAsItMustAndTheDirectoryReopensWithEveryReleasedOutcome(final Trial trial)
        throws Exception
    {
        assumeStrace();
        final Path engineDirectory = directory.resolve("engine");
        final Path straceOutput = directory.resolve("strace.txt");
        final Path ackFile = directory.resolve("acks");
        final Path target = trial.target() == null ? null : trial.target().apply(engineDirectory);
        final String context = "I/O error trial '" + trial.name() + "' (" + trial.syscall() + " when="
            + trial.when() + (target == null ? "" : " of " + target) + ")";
        final List<String> strace = new ArrayList<>(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-e",
            "signal=none", "-o", straceOutput.toString(), "-e", "trace=" + trial.syscall(), "-e",
            "inject=" + trial.syscall() + ":error=" + trial.error() + ":when=" + trial.when()));
        if (target != null)
        {
            strace.addAll(List.of("-P", target.toString()));
        }
        final String ending;
        final String stderr;
        final CountersReader.Sample counters;
        try (ChildJvm child = ChildJvm.startUnder(strace, true, LoadChildMain.class, "load",
            engineDirectory.toString(), ackFile.toString(), Long.toString(trial.name().hashCode()),
            Durability.OS_CRASH.name(), Long.toString(trial.snapshots()), trial.rollCycle().name(), "false",
            Integer.toString(PAUSE_EVERY), Boolean.toString(trial.expected() != Expected.HALTS)))
        {
            child.awaitLine("READY ", 60);
            if (trial.expected() != Expected.HALTS)
            {
                awaitCounters(child, engineDirectory, stopCondition(trial.expected()), context);
                try (OutputStream stdin = child.process().getOutputStream())
                {
                    stdin.write((LoadChildMain.STOP_LINE + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            ending = awaitEnding(child);
            assertEquals(0, child.waitForExit(60), context + ": the child closed the engine: " + child.stderrText());
            stderr = child.stderrText();
            counters = new CountersReader(engineDirectory.resolve(CountersLayout.FILE_NAME)).read();
        }
        final String trace = Files.readString(straceOutput, StandardCharsets.UTF_8);
        final long injections = INJECTED.matcher(trace).results().count();
        assertTrue(injections > 0, context + ": strace injected the error (else the trial tested nothing): " + trace);
        final List<String> mentions = trial.mentions().apply(target);
        if (trial.expected() == Expected.HALTS)
        {
            assertTrue(ending.startsWith("HALTED ENGINE_HALTED"), context + ": publishers refused: " + ending);
            for (final String mention : mentions)
            {
                assertTrue(ending.contains(mention), context + ": the halt reason names '" + mention + "': " + ending);
            }
        }
        else
        {
            assertTrue(ending.startsWith("STOPPED "), context + ": the engine kept serving: " + ending);
            assertEquals(0, counters.get(EngineCounter.REFUSED_HALTED), context + ": nothing refused as halted");
            for (final String mention : mentions)
            {
                assertTrue(stderr.contains(mention), context + ": the failure was reported with '" + mention
                    + "': " + stderr);
            }
        }
        if (trial.expected() == Expected.KEEPS_SERVING_SNAPSHOT_COUNTED)
        {
            assertEquals(1, counters.get(EngineCounter.SNAPSHOT_FAILURES), context + ": the failed snapshot counted");
            assertTrue(stderr.contains("snapshot at sequence " + SNAPSHOT_EVERY + " failed"),
                context + ": the failed snapshot reported: " + stderr);
            assertTrue(counters.get(EngineCounter.SNAPSHOTS) >= 1
                && counters.get(EngineCounter.SNAPSHOT_LAST_SEQUENCE) > SNAPSHOT_EVERY,
                context + ": a later trigger wrote a snapshot");
            assertFalse(
                Files.exists(engineDirectory.resolve("snapshots").resolve("snapshot-" + padded(SNAPSHOT_EVERY))),
                context + ": the failed snapshot was not published");
        }
        final AfterCrashChecks.CheckResult result =
            AfterCrashChecks.checkAfterKill(SUMMARY, engineDirectory, trial.rollCycle(), ackFile, context);
        assertEquals(0, result.lost, context + ": no released outcome lost");
        if (trial.expected() == Expected.KEEPS_SERVING_SNAPSHOT_COUNTED)
        {
            assertNotNull(result.recovery.snapshot(),
                context + ": recovered from the snapshot written after the failure");
            assertFalse(Files.exists(firstSnapshotTemporary(engineDirectory)),
                context + ": the failed snapshot's temporary directory was cleared at recovery");
        }
        SUMMARY.add("I/O error trials", 1);
        SUMMARY.add("I/O errors injected (strace INJECTED lines)", injections);
        SUMMARY.add(trial.syscall() + " " + trial.error() + " trials, " + describe(trial.expected()), 1);
        System.out.printf("%s: %s, %d injections, %d released outcomes all journaled, the recovered directory "
            + "passes stockflow verify's checks, counters: snapshots %d, "
            + "snapshot failures %d, roll-overs %d%n", context, ending, injections, result.acknowledged,
            counters.get(EngineCounter.SNAPSHOTS), counters.get(EngineCounter.SNAPSHOT_FAILURES),
            counters.get(EngineCounter.JOURNAL_ROLL_OVERS));
    }

    private static Predicate<CountersReader.Sample> stopCondition(final Expected expected)
    {
        if (expected == Expected.KEEPS_SERVING_SNAPSHOT_COUNTED)
        {
            return sample -> sample.get(EngineCounter.SNAPSHOT_FAILURES) >= 1
                && sample.get(EngineCounter.SNAPSHOTS) >= 1;
        }
        return sample -> sample.get(EngineCounter.JOURNAL_ROLL_OVERS) >= 3;
    }

    private static String describe(final Expected expected)
    {
        return switch (expected)
        {
            case HALTS -> "engine halted fail-stop";
            case KEEPS_SERVING -> "engine kept serving";
            case KEEPS_SERVING_SNAPSHOT_COUNTED -> "snapshot failure counted, engine kept serving";
        };
    }

    /* Polls the child's counters file until the condition holds; fails if the child ends first. */
    private static void awaitCounters(final ChildJvm child, final Path engineDirectory,
        final Predicate<CountersReader.Sample> condition, final String context) throws Exception
    {
        final CountersReader reader = new CountersReader(engineDirectory.resolve(CountersLayout.FILE_NAME));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline)
        {
            if (!child.process().isAlive())
            {
                fail(context + ": the child ended while it should serve, last line '" + awaitEnding(child) + "': "
                    + child.stderrText());
            }
            try
            {
                if (condition.test(reader.read()))
                {
                    return;
                }
            }
            catch (final NoSuchFileException e)
            {
                // not created yet
            }
            Thread.sleep(20);
        }
        fail(context + ": the counters did not reach the stop condition within 90 s: " + child.stderrText());
    }

    /* The child's last line: HALTED <refusal> <reason> or STOPPED <sequence>, else what it printed and its exit. */
    private static String awaitEnding(final ChildJvm child) throws IOException
    {
        final StringBuilder skipped = new StringBuilder();
        while (true)
        {
            final String line;
            try
            {
                line = child.awaitLine("", 120);
            }
            catch (final IOException e)
            {
                return "no ending line; printed [" + skipped + "]"
                    + (child.process().isAlive() ? "" : ", exit " + child.process().exitValue());
            }
            if (line.startsWith("HALTED ") || line.startsWith("STOPPED "))
            {
                return line;
            }
            skipped.append(line).append('\n');
        }
    }

    private static void assumeStrace() throws IOException, InterruptedException
    {
        final Process probe = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start();
        final boolean ok = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        Assumptions.assumeTrue(ok, "I/O error trials need strace to inject errors");
    }

    /* The file an HOURLY journal appends to this hour (Chronicle's yyyyMMdd-HH'F' naming, UTC). */
    private static Path currentHourlyCycleFile(final Path engineDirectory)
    {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        if (now.getMinute() == 59 && now.getSecond() > 30)
        {
            // Too close to the hour for the trial to stay in this hour's file: wait for the next one.
            final LocalDateTime nextHour = now.truncatedTo(ChronoUnit.HOURS).plusHours(1).plusSeconds(1);
            try
            {
                Thread.sleep(Duration.between(now, nextHour).toMillis());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the hour to turn", e);
            }
            now = LocalDateTime.now(ZoneOffset.UTC);
        }
        return EngineConfig.journalDirectoryOf(engineDirectory).toAbsolutePath()
            .resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HH")) + "F.cq4");
    }

    /*
     * The file a TEST_SECONDLY journal rolls over to a few seconds from now (yyyyMMdd-HHmmss'T',
     * UTC): created by the appender at the roll-over, after the engine started.
     */
    private static Path secondlyCycleFileAhead(final Path engineDirectory)
    {
        final LocalDateTime then = LocalDateTime.now(ZoneOffset.UTC).plusSeconds(SECONDS_AHEAD);
        return EngineConfig.journalDirectoryOf(engineDirectory).toAbsolutePath()
            .resolve(then.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "T.cq4");
    }

    /* The temporary directory of the first snapshot (with no logic error skipped, exactly at SNAPSHOT_EVERY). */
    private static Path firstSnapshotTemporary(final Path engineDirectory)
    {
        return engineDirectory.toAbsolutePath().resolve("snapshots").resolve(".snapshot-" + padded(SNAPSHOT_EVERY)
            + ".tmp");
    }

    private static String padded(final long sequence)
    {
        return String.format("%020d", sequence);
    }
}
