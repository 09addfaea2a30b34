package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.LoopExt4;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real power cuts: the engine runs in a child JVM under load on a loop-mounted ext4
 * ({@link LoopExt4}); the parent shuts the file system down with {@code FS_IOC_GOINGDOWN}
 * ({@code FS_GOING_DOWN_NOLOGFLUSH}: whatever is not on the device is gone, as after a power loss),
 * kills the child, unmounts, mounts again and checks what reached the device against what the
 * child released. The child streams every released outcome over its stdout pipe
 * ({@link LoadChildMain}), so what was released is known outside the file system that is cut.
 *
 * <p>Cuts land at random moments of appending, at a roll-over (a cycle a second, the cut aimed at a
 * second boundary, with and without the pretoucher creating the next file early), while a snapshot
 * is being written, just after a snapshot was published by rename, and during recovery. Under
 * {@code OS_CRASH} every released outcome must be in the recovered journal with the same result and
 * the state must equal a full replay ({@link AfterCrashChecks}): a lost outcome fails the test.
 * What is owed is what the child released before the cut began: the child stamps each outcome with
 * {@code System.nanoTime()}, the cut reports the same clock just before its ioctl, and outcomes
 * released later are counted apart and not checked. Unlike a real power cut, the shutdown leaves the
 * child running, and a sync in flight at the cut can return success with its data gone (seen with
 * newly allocated blocks, that is roll-overs without the pretoucher: the journal ended one commit
 * short of outcomes released a few milliseconds after the ioctl); a real cut ends the process before
 * it could release anything on such a return.
 * Under {@code PROCESS_CRASH} the loss is measured and printed per trial; start-up must either
 * recover a prefix whose state equals its replay or stop naming the damaged position, and then
 * {@code salvage} ({@code JournalSalvage}, run in a child JVM like the launcher's) must give a new directory that opens, holds the released
 * outcomes of the prefix it copied with their results, and equals a replay of that prefix. A cut
 * within seconds of the start finds nothing written back (the kernel waits 30 s), so two
 * {@code PROCESS_CRASH} trials are aimed: one writes the cycle file back mid-run, as the kernel's
 * flusher would, so a non-empty prefix survives; the other then writes back only the file's first
 * page (Chronicle's header, with its write position), as the flusher may in any order, so the
 * device holds a header ahead of its records and start-up must stop at the damaged position. A
 * third ({@code NEWER_CYCLE_WRITTEN_BACK}) rolls a cycle a second and writes back only the newest
 * file, so the older ones reach the device as zeros and start-up must stop naming the first of them
 * (once, that newest file was damaged too, written back while the writer appended: open refused
 * with that damage and left the lost files moved aside, and salvage found no file that held them).
 * Every directory that recovered, and every salvaged one, must pass {@code stockflow verify}'s
 * checks.
 * {@code -Dstockflow.reliability.powerCutTrials=N} runs more append trials than the default 14.
 */
@Slow
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class PowerCutTrialTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("power-cut-trials");
    private static final int CHAIN_LENGTH = 2;
    /** A streamed outcome as the ack stream keeps it: entity, tag, and System.nanoTime() at release. */
    private static final int STREAMED_ENTRY_BYTES = 3 * Long.BYTES;
    /** A cycle file's first page: Chronicle's header, with the write position. */
    private static final long HEADER_PAGE_BYTES = 4096;
    /** sync_file_range(WAIT_BEFORE | WRITE | WAIT_AFTER) of [0, length), then an fsync of a marker file. */
    private static final String WRITE_BACK_SCRIPT = "import ctypes,os,sys\n"
        + "libc=ctypes.CDLL(None,use_errno=True)\n"
        + "libc.sync_file_range.argtypes=[ctypes.c_int,ctypes.c_longlong,ctypes.c_longlong,ctypes.c_uint]\n"
        + "fd=os.open(sys.argv[1],os.O_RDONLY)\n"
        + "if libc.sync_file_range(fd,0,int(sys.argv[2]),7)!=0:\n"
        + "    e=ctypes.get_errno(); raise OSError(e,os.strerror(e))\n"
        + "m=os.open(sys.argv[3],os.O_WRONLY|os.O_CREAT,0o644)\n"
        + "os.write(m,b'x'); os.fsync(m)\n";

    @TempDir
    Path work;

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    @Test
    void everyReleasedOutcomeSurvivesAPowerCutUnderOsCrashAndTheProcessCrashLossIsMeasured() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(Long.getLong("stockflow.reliability.seed", 20_2020L));
        try (LoopExt4 fs = LoopExt4.mount(work, 3072))
        {
            final int appendTrials = Integer.getInteger("stockflow.reliability.powerCutTrials", 14);
            for (int trial = 0; trial < appendTrials; trial++)
            {
                final boolean atRollOver = trial % 2 == 1;
                final boolean pretouch = !atRollOver || trial % 4 == 1;
                final Path chain = fs.path().resolve("os-" + (atRollOver ? "roll-" : "") + trial / (2 * CHAIN_LENGTH));
                loadAndCut(fs, chain, Durability.OS_CRASH, atRollOver ? JournalRollCycle.TEST_SECONDLY
                    : JournalRollCycle.HOURLY, pretouch, atRollOver ? Phase.ROLL_OVER : Phase.APPENDS, random,
                    "trial " + trial);
            }
            for (int trial = 0; trial < 4; trial++)
            {
                loadAndCut(fs, fs.path().resolve("os-snapshots-" + trial), Durability.OS_CRASH, JournalRollCycle.HOURLY,
                    true, trial % 2 == 0 ? Phase.SNAPSHOT_WRITE : Phase.SNAPSHOT_RENAME, random,
                    "snapshot trial " + trial);
            }
            final Path recovering = fs.path().resolve("os-" + (appendTrials - 2) / (2 * CHAIN_LENGTH));
            for (int trial = 0; trial < 3; trial++)
            {
                cutDuringRecovery(fs, recovering, random, "recovery trial " + trial);
            }
            for (int trial = 0; trial < 2; trial++)
            {
                loadAndCut(fs, fs.path().resolve("process-" + trial), Durability.PROCESS_CRASH, JournalRollCycle.HOURLY,
                    true, Phase.APPENDS, random, "process-crash trial " + trial);
            }
            for (int trial = 0; trial < 2; trial++)
            {
                loadAndCut(fs, fs.path().resolve("process-snapshots-" + trial), Durability.PROCESS_CRASH,
                    JournalRollCycle.HOURLY, true, Phase.SNAPSHOT_RENAME, random,
                    "process-crash snapshot trial " + trial);
            }
            loadAndCut(fs, fs.path().resolve("process-written-back"), Durability.PROCESS_CRASH,
                JournalRollCycle.HOURLY, true, Phase.AFTER_WRITE_BACK, random, "process-crash written-back trial");
            loadAndCut(fs, fs.path().resolve("process-header-ahead"), Durability.PROCESS_CRASH,
                JournalRollCycle.HOURLY, true, Phase.AFTER_HEADER_WRITE_BACK, random,
                "process-crash header-ahead trial");
            loadAndCut(fs, fs.path().resolve("process-older-cycle-lost"), Durability.PROCESS_CRASH,
                JournalRollCycle.TEST_SECONDLY, false, Phase.NEWER_CYCLE_WRITTEN_BACK, random,
                "process-crash older-cycle-lost trial");
        }
        System.out.printf("power-cut trials: OS_CRASH %d trials, %d released outcomes checked, %d lost; "
            + "PROCESS_CRASH %d trials, %d released, %d lost, %d start-ups recovered a prefix, %d stopped at a damaged "
            + "position and were salvaged (%d records copied, %d readable records before the damage not copied); "
            + "%d recovered or salvaged directories passed stockflow "
            + "verify's checks; %d outcomes released after a cut began, not owed (%d OS_CRASH trials whose journal ends "
            + "before one of them)%n",
            SUMMARY.get("power cuts, OS_CRASH"), SUMMARY.get("released outcomes checked, OS_CRASH"),
            SUMMARY.get("released outcomes lost, OS_CRASH"), SUMMARY.get("power cuts, PROCESS_CRASH"),
            SUMMARY.get("released outcomes checked, PROCESS_CRASH"),
            SUMMARY.get("released outcomes lost, PROCESS_CRASH"),
            SUMMARY.get("PROCESS_CRASH start-ups that recovered a prefix"),
            SUMMARY.get("PROCESS_CRASH start-ups stopped at a damaged position, then salvaged"),
            SUMMARY.get("records copied by salvage"),
            SUMMARY.get("records before the damaged position that salvage did not copy"),
            SUMMARY.get(AfterCrashChecks.VERIFIED),
            SUMMARY.get("outcomes released after the cut began (not owed: a real power cut ends the process)"),
            SUMMARY.get("OS_CRASH trials whose journal ends before an outcome released after the cut began"));
        assertEquals(SUMMARY.get("power cuts, OS_CRASH") + SUMMARY.get("power cuts, PROCESS_CRASH"),
            SUMMARY.get(AfterCrashChecks.VERIFIED), "every trial's recovered or salvaged directory was verified");
        assertTrue(SUMMARY.get("PROCESS_CRASH start-ups stopped at a damaged position, then salvaged") >= 1,
            "the header-ahead trial stopped start-up, so salvage was exercised");
        assertEquals(0, SUMMARY.get("released outcomes lost, OS_CRASH"));
        System.out.printf("power-cut trials, snapshots: %d trials aimed at a snapshot's publication, %d newest "
            + "snapshots checked against the journal's end, %d past it%n",
            SUMMARY.get("cuts aimed at SNAPSHOT_WRITE that landed there")
                + SUMMARY.get("cuts aimed at SNAPSHOT_RENAME that landed there"),
            SUMMARY.get("snapshots that survived a cut, checked against the journal's end"),
            SUMMARY.get("snapshots past the journal's end after a cut"));
        assertEquals(0, SUMMARY.get("snapshots past the journal's end after a cut"));
    }

    /** Where in the engine's work a cut is aimed. */
    private enum Phase
    {
        APPENDS,
        ROLL_OVER,
        SNAPSHOT_WRITE,
        SNAPSHOT_RENAME,
        /** Appends, the cycle file written back to the device mid-run, then more appends. */
        AFTER_WRITE_BACK,
        /** As {@link #AFTER_WRITE_BACK}, then only the cycle file's first page (its header) written back again. */
        AFTER_HEADER_WRITE_BACK,
        /**
         * Appends across a roll, then only the newest cycle file written back: the flusher writes files
         * in no order, so the device holds a later file's records and none of an earlier one's.
         */
        NEWER_CYCLE_WRITTEN_BACK
    }

    private void loadAndCut(final LoopExt4 fs, final Path engineDirectory, final Durability durability,
        final JournalRollCycle rollCycle, final boolean pretouch, final Phase phase, final SplittableRandom random,
        final String name) throws Exception
    {
        final boolean snapshotTrial = phase == Phase.SNAPSHOT_WRITE || phase == Phase.SNAPSHOT_RENAME;
        // A snapshot forces the journal before it is published, so one taken between a write-back
        // and the cut would write the rest of the cycle file too and hide the state the write-back
        // trials are there to leave (a header on the device ahead of its records): they take none.
        final boolean writeBackTrial = phase == Phase.AFTER_WRITE_BACK || phase == Phase.AFTER_HEADER_WRITE_BACK
            || phase == Phase.NEWER_CYCLE_WRITTEN_BACK;
        final String snapshotEveryEvents = snapshotTrial ? "3000" : writeBackTrial ? "0" : "20000";
        final String context = name + " (" + durability + ", " + phase + ", " + rollCycle + ", pretouch "
            + (pretouch ? "on" : "off") + ")";
        final AckStream acks;
        boolean phaseSeen = true;
        try (ChildJvm child = ChildJvm.start(true, LoadChildMain.class, "load", engineDirectory.toString(),
            LoadChildMain.STREAM_ACKS, Long.toString(random.nextLong()), durability.name(),
            snapshotEveryEvents, rollCycle.name(), Boolean.toString(pretouch)))
        {
            child.awaitLine("READY ", 60);
            acks = AckStream.start(child.stdoutReader());
            if (phase == Phase.APPENDS)
            {
                Thread.sleep(200 + random.nextInt(1_000));
            }
            else if (phase == Phase.AFTER_WRITE_BACK || phase == Phase.AFTER_HEADER_WRITE_BACK)
            {
                final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
                Thread.sleep(400 + random.nextInt(400));
                writeBack(fs, newestCycleFile(journal), 0);
                Thread.sleep(300 + random.nextInt(300));
                if (phase == Phase.AFTER_HEADER_WRITE_BACK)
                {
                    writeBack(fs, newestCycleFile(journal), HEADER_PAGE_BYTES);
                }
            }
            else if (phase == Phase.NEWER_CYCLE_WRITTEN_BACK)
            {
                final Path journal = EngineConfig.journalDirectoryOf(engineDirectory);
                // Three files, so the ones lost hold commands, not only the parameters record of the first,
                // whose loss is refused as a missing parameters record (LostParametersRecordRecoveryTest).
                awaitCycleFiles(journal, 3, context);
                Thread.sleep(100 + random.nextInt(200));
                writeBack(fs, newestCycleFile(journal), 0);
                Thread.sleep(100 + random.nextInt(200));
            }
            else if (phase == Phase.ROLL_OVER)
            {
                Thread.sleep(300);
                Thread.sleep(1_000 - System.currentTimeMillis() % 1_000 + random.nextInt(-5, 25));
            }
            else
            {
                phaseSeen = awaitSnapshotPhase(EngineConfig.snapshotDirectoryOf(engineDirectory), phase, child);
            }
            assertTrue(child.process().isAlive(), context + ": child running before the cut: " + child.stderrText());
            acks.cutAtNs = fs.cutPower();
            child.kill();
            acks.join();
        }
        fs.remount();
        if (snapshotTrial)
        {
            SUMMARY.add("cuts aimed at " + phase + " that landed there", phaseSeen ? 1 : 0);
            checkNoSnapshotPastTheJournal(engineDirectory, context);
        }
        check(engineDirectory, durability, rollCycle, acks, phase == Phase.NEWER_CYCLE_WRITTEN_BACK, context);
    }

    /*
     * A snapshot that survived the cut must not cover journal records that did not: under
     * PROCESS_CRASH a commit forces nothing, so the snapshot thread forces the journal before it
     * publishes. Checked before start-up, which would remove such a snapshot as past the journal's
     * end (and with archival on, the history before it would be gone with it).
     */
    private static void checkNoSnapshotPastTheJournal(final Path engineDirectory, final String context)
    {
        final long newest = new SnapshotStore(EngineConfig.snapshotDirectoryOf(engineDirectory)).listNewestFirst()
            .stream().findFirst().map(SnapshotStore::sequenceOf).orElse(0L);
        long journalEnd = 0;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            final JournalRecord record = new JournalRecord();
            while (reader.readNext(record))
            {
                journalEnd = record.sequence();
            }
        }
        catch (final JournalException damaged)
        {
            // The reader stops at the damage a cut under PROCESS_CRASH may leave; what it read is the journal.
        }
        SUMMARY.add("snapshots that survived a cut, checked against the journal's end", newest > 0 ? 1 : 0);
        SUMMARY.add("snapshots past the journal's end after a cut", newest > journalEnd ? 1 : 0);
        assertTrue(newest <= journalEnd, context + ": the newest snapshot (sequence " + newest
            + ") is past the end of the journal that survived the cut (" + journalEnd + ")");
    }

    private void cutDuringRecovery(final LoopExt4 fs, final Path engineDirectory, final SplittableRandom random,
        final String context) throws Exception
    {
        final AckStream lines;
        final long cutNs;
        try (ChildJvm child = ChildJvm.start(true, LoadChildMain.class, "recover", engineDirectory.toString(),
            Durability.OS_CRASH.name()))
        {
            child.awaitLine("RECOVERING", 60);
            lines = AckStream.start(child.stdoutReader());
            Thread.sleep(random.nextInt(150));
            cutNs = fs.cutPower();
            lines.cutAtNs = cutNs;
            child.kill();
            lines.join();
        }
        fs.remount();
        final boolean landedDuringRecovery = lines.recoveredNs == 0 || lines.recoveredNs > cutNs;
        SUMMARY.add("cuts aimed at recovery that landed before it finished", landedDuringRecovery ? 1 : 0);
        check(engineDirectory, Durability.OS_CRASH, JournalRollCycle.HOURLY, lines, false,
            context + " (OS_CRASH, RECOVERY, " + (landedDuringRecovery ? "during" : "after") + " recovery)");
    }

    /*
     * lostCycleFileAimed: the cut was aimed to leave older cycle files as zeros behind a written-back
     * newer one, so start-up must stop naming the first of them: a recovered prefix, or a stop at other
     * damage, means the aim missed or open took the lost file for a crashed writer's unfinished one.
     */
    private static void check(final Path engineDirectory, final Durability durability,
        final JournalRollCycle rollCycle, final AckStream acks, final boolean lostCycleFileAimed, final String context)
        throws IOException, InterruptedException
    {
        final boolean osCrash = durability == Durability.OS_CRASH;
        SUMMARY.add("power cuts, " + durability, 1);
        final ByteBuffer releasedBeforeCut = acks.entries();
        final int releasedCount = releasedBeforeCut.remaining() / LoadChildMain.ACK_ENTRY_BYTES;
        final AfterCrashChecks.CheckResult result;
        try
        {
            result = AfterCrashChecks.checkAfterCrash(SUMMARY, engineDirectory, rollCycle, releasedBeforeCut, !osCrash,
                durability, context);
        }
        catch (final JournalCorruptionException stopped)
        {
            if (osCrash)
            {
                throw new AssertionError(context + ": an OS_CRASH journal must reopen after a power cut", stopped);
            }
            assertTrue(stopped.position() >= 0 || stopped.sequence() >= 0, context + ": the stop names a position: "
                + stopped.getMessage());
            System.out.printf("%s: start-up stopped at a damaged position (%s); %d released%n", context,
                stopped.getMessage(), releasedCount);
            if (lostCycleFileAimed)
            {
                assertTrue(stopped.file() != null && stopped.file().getName().endsWith(".cq4")
                    && stopped.position() == 0 && stopped.getMessage().contains("were in it and are lost"),
                    context + ": start-up names the lost cycle file: " + stopped.getMessage());
                SUMMARY.add("older-cycle-lost cuts whose start-up named the lost file", 1);
            }
            salvageAndCheck(engineDirectory, stopped.sequence(), releasedBeforeCut, context);
            return;
        }
        assertFalse(lostCycleFileAimed, context + ": start-up recovered a prefix of " + result.journalEnd
            + " records although the cut left the older cycle files unwritten");
        if (!osCrash)
        {
            SUMMARY.add("PROCESS_CRASH start-ups that recovered a prefix", 1);
            SUMMARY.add("PROCESS_CRASH records in recovered prefixes", result.journalEnd);
        }
        SUMMARY.add("released outcomes checked, " + durability, result.acknowledged);
        SUMMARY.add("released outcomes lost, " + durability, result.lost);
        if (osCrash && acks.lastSequenceAfterCut > result.journalEnd)
        {
            // The simulation's artefact, counted so the reason for not checking them stays in view.
            SUMMARY.add("OS_CRASH trials whose journal ends before an outcome released after the cut began", 1);
            System.out.printf("%s: an outcome released after the cut began (sequence %d) is past the journal's end"
                + " (%d)%n", context, acks.lastSequenceAfterCut, result.journalEnd);
        }
        assertEquals(0, osCrash ? result.lost : 0, context + ": released outcomes lost");
    }

    /*
     * The way forward after a stopped start-up: salvage the records before the fault into a new
     * directory, which must then pass every check a recovered directory passes (each released
     * outcome up to its end journaled with the same result, those past it counted as lost; the
     * state equals a replay; the engine goes on; stockflow verify's checks), and whose state must
     * equal a replay of the damaged journal up to the same sequence.
     */
    private static void salvageAndCheck(final Path damaged, final long stoppedAtSequence,
        final ByteBuffer releasedBeforeCut, final String context) throws IOException, InterruptedException
    {
        final Path salvaged = damaged.resolveSibling(damaged.getFileName() + "-salvaged");
        final String[] copy;
        try (ChildJvm child = ChildJvm.start(true, LoadChildMain.class, "salvage", damaged.toString(),
            salvaged.toString()))
        {
            copy = child.awaitLine("SALVAGED ", 120).split(" ");
            assertEquals(0, child.waitForExit(60), context + ": salvage exited: " + child.stderrText());
        }
        final long copied = Long.parseLong(copy[1]);
        final long faultSequence = Long.parseLong(copy[3]);
        assertTrue(stoppedAtSequence < 1 || copied < stoppedAtSequence, context + ": salvage copied " + copied
            + " records, past the damaged record at sequence " + stoppedAtSequence + " where start-up stopped");
        assertEquals(copied, Long.parseLong(copy[4]), context + ": the damaged journal replays to the salvaged "
            + "prefix's end");
        assertEquals(Long.parseLong(copy[5]), Long.parseLong(copy[2]),
            context + ": the salvaged directory's state equals a replay of the damaged journal's prefix");
        final AfterCrashChecks.CheckResult result = AfterCrashChecks.checkAfterCrash(SUMMARY, salvaged,
            JournalRollCycle.HOURLY, releasedBeforeCut, true, Durability.PROCESS_CRASH, context + ", salvaged");
        assertEquals(copied, result.journalEnd, context + ": the salvaged journal ends where the copy did");
        System.out.printf("%s: salvage copied %d records (%s), %d of %d released outcomes lost%n", context, copied,
            faultSequence == 0 ? "its reader met no fault" : "stopped at the fault at sequence " + faultSequence,
            result.lost, result.acknowledged);
        SUMMARY.add("PROCESS_CRASH start-ups stopped at a damaged position, then salvaged", 1);
        SUMMARY.add("records copied by salvage", copied);
        // Start-up stopped at a damaged position, so the reader salvage uses must meet it too (a cycle file whose
        // header names records past a lost page once read as empty, and salvage reported a full copy of nothing).
        assertTrue(faultSequence > 0, context + ": salvage met no fault although start-up stopped at sequence "
            + stoppedAtSequence);
        if (stoppedAtSequence > 0)
        {
            SUMMARY.add("records before the damaged position that salvage did not copy",
                stoppedAtSequence - 1 - copied);
        }
        SUMMARY.add("released outcomes checked, PROCESS_CRASH", result.acknowledged);
        SUMMARY.add("released outcomes lost, PROCESS_CRASH", result.lost);
        FileTree.deleteRecursivelyUnchecked(salvaged);
        FileTree.deleteRecursivelyUnchecked(damaged);
    }

    private static void awaitCycleFiles(final Path journal, final int count, final String context)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cycleFileCount(journal) < count)
        {
            assertTrue(System.nanoTime() < deadline, context + ": the child rolled into " + count + " cycle files");
            Thread.sleep(20);
        }
    }

    private static long cycleFileCount(final Path journal) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    private static Path newestCycleFile(final Path journal) throws IOException
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).max(Path::compareTo)
                .orElseThrow(() -> new AssertionError("no cycle file in " + journal));
        }
    }

    /*
     * Writes the file's dirty pages from offset 0 up to length (0: the whole file) to the device, as
     * the kernel's flusher does for a file dirty long enough (sync_file_range: data only), then
     * commits the file system's journal through an fsync of a marker file, so the blocks that write
     * allocated are on the device too, while everything else dirty stays in the page cache.
     */
    private static void writeBack(final LoopExt4 fs, final Path file, final long length)
        throws IOException, InterruptedException
    {
        final Process python = new ProcessBuilder("python3", "-c", WRITE_BACK_SCRIPT, file.toString(),
            Long.toString(length), fs.path().resolve(".write-back-commit").toString()).redirectErrorStream(true)
            .start();
        final String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(20, TimeUnit.SECONDS) && python.exitValue() == 0,
            "write-back of " + file + " failed: " + output);
    }

    /*
     * Polls the snapshot directory until a write is in progress (a temporary directory exists) or,
     * for the rename, until a snapshot not seen before is published; returns whether it was seen.
     */
    private static boolean awaitSnapshotPhase(final Path snapshotDirectory, final Phase phase, final ChildJvm child)
        throws IOException
    {
        final Set<String> published = new HashSet<>(list(snapshotDirectory, "snapshot-*"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && child.process().isAlive())
        {
            if (phase == Phase.SNAPSHOT_WRITE)
            {
                if (!list(snapshotDirectory, ".snapshot-*.tmp").isEmpty())
                {
                    return true;
                }
            }
            else if (!published.containsAll(list(snapshotDirectory, "snapshot-*")))
            {
                return true;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    private static Set<String> list(final Path directory, final String glob) throws IOException
    {
        final Set<String> names = new HashSet<>();
        if (!Files.isDirectory(directory))
        {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob))
        {
            for (final Path entry : entries)
            {
                names.add(entry.getFileName().toString());
            }
        }
        catch (final NoSuchFileException raced)
        {
            return names;
        }
        return names;
    }

    /** Drains the child's stdout on its own thread, so the pipe never blocks the outcome thread. */
    private static final class AckStream extends Thread
    {
        private final BufferedReader reader;
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private volatile long recoveredNs;
        /** When the cut began (System.nanoTime); set by the parent once the cut returns. */
        private volatile long cutAtNs = Long.MAX_VALUE;
        private long lastSequenceAfterCut;
        private int count;
        private IOException failure;

        private AckStream(final BufferedReader reader)
        {
            super("power-cut-ack-stream");
            this.reader = reader;
        }

        static AckStream start(final BufferedReader reader)
        {
            final AckStream stream = new AckStream(reader);
            stream.setDaemon(true);
            stream.start();
            return stream;
        }

        @Override
        public void run()
        {
            try
            {
                for (String line; (line = reader.readLine()) != null;)
                {
                    if (line.startsWith(LoadChildMain.ACK_LINE_PREFIX))
                    {
                        final String[] fields = line.split(" ");
                        if (fields.length != 4)
                        {
                            break;
                        }
                        add(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
                    }
                    else if (line.startsWith("RECOVERED"))
                    {
                        recoveredNs = System.nanoTime();
                    }
                }
            }
            catch (final IOException e)
            {
                failure = e;
            }
        }

        /*
         * A line the kill cut short cannot parse and is dropped: the child was killed while
         * writing it, so that outcome was not yet released to the parent.
         */
        private void add(final long entity, final long tag, final long releasedNs)
        {
            if (buffer.remaining() < STREAMED_ENTRY_BYTES)
            {
                final ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            buffer.putLong(entity).putLong(tag).putLong(releasedNs);
            count++;
        }

        /*
         * A read error after the child died (the JDK closes a dead child's pipe at times) ends the
         * stream early: the outcomes read until then are checked, fewer but never wrong ones, and
         * the event is counted so a run where it dominates shows.
         */
        ByteBuffer entries()
        {
            if (failure != null)
            {
                SUMMARY.add("acknowledgement streams ended early by a read error", 1);
                System.out.println("acknowledgement stream ended early after " + count + " entries: " + failure);
            }
            final ByteBuffer streamed = buffer.duplicate().flip().order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer beforeCut =
                ByteBuffer.allocate(count * LoadChildMain.ACK_ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int afterCut = 0;
            while (streamed.remaining() >= STREAMED_ENTRY_BYTES)
            {
                final long entity = streamed.getLong();
                final long tag = streamed.getLong();
                final long releasedNs = streamed.getLong();
                if (releasedNs - cutAtNs < 0)
                {
                    beforeCut.putLong(entity).putLong(tag);
                }
                else
                {
                    afterCut++;
                    lastSequenceAfterCut = Math.max(lastSequenceAfterCut, tag >>> 8);
                }
            }
            SUMMARY.add("outcomes released after the cut began (not owed: a real power cut ends the process)",
                afterCut);
            // The checks read entries by absolute index up to the capacity: hand over an exact copy.
            beforeCut.flip();
            return ByteBuffer.allocate(beforeCut.remaining()).order(ByteOrder.LITTLE_ENDIAN).put(beforeCut).flip();
        }

        @Override
        public String toString()
        {
            return count + " acknowledgements";
        }
    }
}
