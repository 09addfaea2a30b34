package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.RecordDescriptor;
import io.stockflow.journal.TailRecoveryReport;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded corruption trials, in process: random byte flips, zeroed ranges and
 * truncations in journal cycle files and in snapshot files, each on a fresh copy
 * of a known-good engine directory, each injection classified by where it landed
 * and by what noticed it. Both ways in are tried on every journal fault: the
 * read-only path ({@code stockflow verify}, {@code state}: a reader replaying
 * everything) and the start-up path (the writer's open with its tail recovery,
 * then an engine start).
 *
 * <p>"Never a wrong state": whenever a path ends without an error, its state hash
 * must equal the reference hash of a replay of the uncorrupted journal at the same
 * sequence, and ending at an earlier sequence than the uncorrupted journal is only
 * allowed when the loss was reported (a zeroed torn tail). The test fails on any
 * fault that is undetected and changes the state or silently loses records, and
 * prints every injection's classification.
 */
@Slow
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CorruptionTrialTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("corruption-trials");
    private static final JournalRollCycle ROLL_CYCLE = JournalRollCycle.TEST_SECONDLY;
    private static final int CHRONICLE_HEADER = 4;

    @TempDir
    static Path shared;

    private static Path baseJournal;
    private static Path baseSnapshots;
    private static EngineTestSupport.ReplayedJournal reference;
    private static EngineTestSupport.ReplayedJournal snapshotReference;
    private static final List<RecordSpan> RECORDS = new ArrayList<>();
    private static final Map<File, Long> END_OF_DATA = new LinkedHashMap<>();
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();
    private static final List<String> FAILURES = new ArrayList<>();

    /** Where one record lies: its Chronicle header at {@code position - 4}, its bytes from {@code position}. */
    private record RecordSpan(File file, long position, int length, long sequence)
    {}

    @BeforeAll
    static void buildKnownGoodDirectories() throws Exception
    {
        baseJournal = shared.resolve("base-journal");
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(baseJournal).rollCycle(ROLL_CYCLE).build())
            .build())
        {
            engine.start();
            final WorkloadGenerator generator = new WorkloadGenerator(17, 300);
            long last = 0;
            for (int part = 0; part < 3; part++)
            {
                last = EngineTestSupport.publishWorkload(engine, generator, 4_000);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
                Thread.sleep(1_100);
            }
        }
        reference = EngineTestSupport.replayJournal(EngineConfig.journalDirectoryOf(baseJournal));
        mapRecords();
        assertTrue(END_OF_DATA.size() >= 3, "several cycle files: " + END_OF_DATA.keySet());

        baseSnapshots = shared.resolve("base-snapshots");
        final WorkloadGenerator generator = new WorkloadGenerator(23, 300);
        for (int run = 0; run < 3; run++)
        {
            try (StockflowEngine engine = StockflowEngine.builder(quietConfig(baseSnapshots).snapshotOnClose(true)
                .snapshotsRetained(3).build()).build())
            {
                engine.start();
                final long last = EngineTestSupport.publishWorkload(engine, generator, 3_000);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            }
        }
        snapshotReference = EngineTestSupport.replayJournal(EngineConfig.journalDirectoryOf(baseSnapshots));
        assertEquals(3, new SnapshotStore(EngineConfig.snapshotDirectoryOf(baseSnapshots)).listNewestFirst().size());
    }

    private static void mapRecords()
    {
        final JournalRecord record = new JournalRecord();
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(baseJournal)))
        {
            while (reader.readNext(record))
            {
                if (ParametersRecord.is(record))
                {
                    // The trials damage command records; the header record before them is not one.
                    END_OF_DATA.put(record.file(),
                        record.position() + RecordDescriptor.recordLength(record.payloadLength()));
                    continue;
                }
                final RecordSpan span = new RecordSpan(record.file(), record.position(),
                    RecordDescriptor.recordLength(record.payloadLength()), record.sequence());
                RECORDS.add(span);
                END_OF_DATA.put(span.file, span.position + span.length);
            }
        }
    }

    @AfterAll
    static void report()
    {
        System.out.println("corruption outcomes (location -> path outcome: count):");
        OUTCOMES.forEach((outcome, count) -> System.out.printf("  %-110s %5d%n", outcome, count));
        SUMMARY.write();
    }

    @Test
    void journalFaultsAreDetectedWithTheirPositionOrRepairedAndReportedNeverAWrongState() throws IOException
    {
        final int trials = Integer.getInteger("stockflow.reliability.journalCorruptionTrials", 140);
        final SplittableRandom random = new SplittableRandom(Long.getLong("stockflow.reliability.seed", 31_337L));
        for (int trial = 0; trial < trials; trial++)
        {
            final Path copy = shared.resolve("journal-trial-" + trial);
            EngineTestSupport.copyTree(baseJournal, copy);
            final Injection injection = injectIntoJournal(copy, random);
            try
            {
                classifyJournalTrial(copy, injection);
            }
            finally
            {
                FileTree.deleteRecursivelyUnchecked(copy);
            }
        }
        assertTrue(FAILURES.isEmpty(),
            FAILURES.size() + " journal faults undetected and state-changing or lost silently:\n"
                + String.join("\n", FAILURES));
    }

    @Test
    void snapshotFaultsAreIgnoredInFavourOfAnOlderSnapshotOrAFullReplay() throws IOException
    {
        final int trials = Integer.getInteger("stockflow.reliability.snapshotCorruptionTrials", 60);
        final SplittableRandom random = new SplittableRandom(Long.getLong("stockflow.reliability.seed", 4_711L));
        final List<String> failures = new ArrayList<>();
        for (int trial = 0; trial < trials; trial++)
        {
            final Path copy = shared.resolve("snapshot-trial-" + trial);
            EngineTestSupport.copyTree(baseSnapshots, copy);
            try
            {
                final List<Path> snapshots =
                    new SnapshotStore(EngineConfig.snapshotDirectoryOf(copy)).listNewestFirst();
                final Path newest = snapshots.get(0);
                final List<Path> files;
                try (Stream<Path> list = Files.list(newest))
                {
                    files = list.sorted().collect(Collectors.toList());
                }
                final Path target = files.get(random.nextInt(files.size()));
                final String kind = corruptFile(target, random, 0, Files.size(target));
                final String label = "snapshot " + target.getFileName() + " " + kind;
                if (kind.endsWith("(already zero)"))
                {
                    count(label + " -> no change, not a fault");
                    continue;
                }
                SUMMARY.add("faults injected: " + label, 1);
                try (StockflowEngine engine = StockflowEngine.builder(quietConfig(copy).build()).build())
                {
                    final Recovery.RecoveryResult recovery = engine.start();
                    final long last = engine.publisher().nextSequence() - 1;
                    final long hash = liveHash(engine);
                    final boolean right = last == snapshotReference.last
                        && hash == snapshotReference.hashes[(int)last];
                    final boolean skipped = !recovery.skippedSnapshots().isEmpty()
                        && recovery.skippedSnapshots().get(0).startsWith(newest.getFileName().toString());
                    final String outcome = !right ? "WRONG STATE"
                        : skipped ? (recovery.snapshot() == null ? "detected, fell back to a full replay"
                            : "detected, fell back to an older snapshot")
                            : "undetected, state right";
                    count(label + " -> start: " + outcome);
                    SUMMARY.add("faults detected: " + label, skipped ? 1 : 0);
                    if (!right || !skipped)
                    {
                        failures.add("trial " + trial + ": " + label + ": " + outcome + " (recovered from "
                            + recovery.snapshot() + ", skipped " + recovery.skippedSnapshots() + ")");
                    }
                }
            }
            finally
            {
                FileTree.deleteRecursivelyUnchecked(copy);
            }
        }
        SUMMARY.add("snapshot corruption trials", trials);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * A cycle file that lost its end (a file system that did not keep the last
     * blocks of an older file, or a truncating copy): the records of the later
     * files must not silently disappear from a read-only replay, which is what
     * {@code stockflow verify}, {@code state}, {@code replay} and {@code dump} run.
     * The engine's start path refuses this journal loudly; the read-only path ends
     * early without an error.
     */
    @Test
    void readOnlyReplayOfAJournalWhoseOlderCycleFileLostItsEndFailsInsteadOfEndingEarly() throws IOException
    {
        final Path copy = shared.resolve("truncated-older-file");
        EngineTestSupport.copyTree(baseJournal, copy);
        final File oldest = END_OF_DATA.keySet().iterator().next();
        final long endOfData = END_OF_DATA.get(oldest);
        try (RandomAccessFile raf = new RandomAccessFile(copy.resolve("journal").resolve(oldest.getName()).toFile(),
            "rw"))
        {
            raf.setLength(endOfData);
        }
        final Injection injection = new Injection("truncation", "past the end of data, older file", oldest, endOfData,
            null);
        final String verify = readOnlyPath(EngineConfig.journalDirectoryOf(copy), injection);
        FileTree.deleteRecursivelyUnchecked(copy);
        assertTrue(!verify.startsWith("BAD"), "read-only replay after the oldest cycle file lost the bytes after its"
            + " last record: " + verify);
    }

    /**
     * A record in the middle of the newest cycle file whose Chronicle document
     * header has its "not complete" bit set (one flipped bit): Chronicle's tailer
     * stops there as at the end of data, so the writer's tail recovery takes the
     * record before it as the last one and the engine starts there, silently
     * dropping every later record, acknowledged ones included. Corruption before
     * the tail must stop start-up with its position instead.
     */
    @Test
    void engineStartRefusesANewestFileWhoseDocumentHeaderBeforeTheTailIsCorrupt() throws IOException
    {
        final Path copy = shared.resolve("corrupt-header-newest-file");
        EngineTestSupport.copyTree(baseJournal, copy);
        final File newest = RECORDS.get(RECORDS.size() - 1).file;
        final List<RecordSpan> inNewest = RECORDS.stream().filter(r -> r.file.equals(newest))
            .collect(Collectors.toList());
        final RecordSpan middle = inNewest.get(inNewest.size() / 2);
        final File file = copy.resolve("journal").resolve(newest.getName()).toFile();
        final long highByteOfHeader = middle.position - 1;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(highByteOfHeader);
            final int original = raf.read();
            raf.seek(highByteOfHeader);
            raf.write(original ^ 0x80);
        }
        final Injection injection = new Injection("bit flip (not-complete bit)", "Chronicle document header of a record"
            + " before the tail, newest file", newest, highByteOfHeader, middle);
        final String start = startPath(copy, EngineConfig.journalDirectoryOf(copy), injection);
        FileTree.deleteRecursivelyUnchecked(copy);
        assertTrue(!start.startsWith("BAD"), "record " + middle.sequence + " of " + reference.last + ": " + start);
    }

    /** What was done to a journal copy and where it landed. */
    private record Injection(String kind, String location, File file, long offset, RecordSpan record)
    {
        String label()
        {
            return kind + " in " + location;
        }
    }

    private static Injection injectIntoJournal(final Path copy, final SplittableRandom random) throws IOException
    {
        // Only files that hold a command record: under load the first publish can fall into the next
        // one-second cycle, leaving a file with nothing but the parameters record.
        final List<File> files = END_OF_DATA.keySet().stream()
            .filter(f -> RECORDS.stream().anyMatch(r -> r.file.equals(f))).sorted().collect(Collectors.toList());
        final File original = files.get(random.nextInt(files.size()));
        final long endOfData = END_OF_DATA.get(original);
        final File file = copy.resolve("journal").resolve(original.getName()).toFile();
        final long firstRecord = RECORDS.stream().filter(r -> r.file.equals(original)).mapToLong(RecordSpan::position)
            .min().orElseThrow() - CHRONICLE_HEADER;
        final int where = random.nextInt(100);
        final long offset;
        if (where < 55)
        {
            final List<RecordSpan> inFile = RECORDS.stream().filter(r -> r.file.equals(original))
                .collect(Collectors.toList());
            final RecordSpan span = random.nextInt(4) == 0 ? inFile.get(inFile.size() - 1)
                : inFile.get(random.nextInt(inFile.size()));
            offset = span.position - CHRONICLE_HEADER + random.nextInt(span.length + CHRONICLE_HEADER);
        }
        else if (where < 70)
        {
            offset = random.nextLong(firstRecord);
        }
        else if (where < 85)
        {
            offset = random.nextLong(endOfData);
        }
        else
        {
            offset = endOfData + random.nextInt(64 * 1024);
        }
        final RecordSpan hit = recordAt(original, offset);
        final String location = locationOf(original, offset, hit, firstRecord, endOfData);
        final String kind;
        final int how = random.nextInt(100);
        if (how < 60)
        {
            kind = flip(file, offset, random);
        }
        else if (how < 85)
        {
            kind = zero(file, offset, 1 + random.nextInt(random.nextBoolean() ? 16 : 512));
        }
        else
        {
            final long at = Math.min(offset, endOfData);
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
            {
                raf.setLength(at);
            }
            kind = "truncation";
            return new Injection(kind, locationOf(original, at, recordAt(original, at), firstRecord, endOfData),
                original, at, recordAt(original, at));
        }
        return new Injection(kind, location, original, offset, hit);
    }

    private static RecordSpan recordAt(final File file, final long offset)
    {
        for (final RecordSpan span : RECORDS)
        {
            if (span.file.equals(file) && offset >= span.position - CHRONICLE_HEADER
                && offset < span.position + span.length)
            {
                return span;
            }
        }
        return null;
    }

    private static String locationOf(final File file, final long offset, final RecordSpan hit, final long firstRecord,
        final long endOfData)
    {
        final boolean newestFile = file.equals(RECORDS.get(RECORDS.size() - 1).file);
        if (hit != null)
        {
            final String part = offset < hit.position ? "Chronicle document header of" : "record bytes of";
            final String which = hit.sequence == reference.last ? "the last record (journal tail)"
                : newestFile ? "a record before the tail, newest file" : "a record in an older file";
            return part + " " + which;
        }
        if (offset < firstRecord)
        {
            return "Chronicle file header / metadata before the first record" + (newestFile ? ", newest file" : "");
        }
        if (offset < endOfData)
        {
            return "Chronicle metadata (index) between records" + (newestFile ? ", newest file" : "");
        }
        return "past the end of data" + (newestFile ? ", newest file" : ", older file");
    }

    private static String flip(final File file, final long offset, final SplittableRandom random) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(offset);
            final int original = raf.read();
            raf.seek(offset);
            raf.write((original < 0 ? 0 : original) ^ (1 + random.nextInt(255)));
        }
        return "byte flip";
    }

    private static String zero(final File file, final long offset, final int length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(offset);
            final byte[] before = new byte[length];
            final int read = Math.max(0, raf.read(before));
            boolean changed = false;
            for (int i = 0; i < read; i++)
            {
                changed |= before[i] != 0;
            }
            raf.seek(offset);
            raf.write(new byte[length]);
            return changed ? "zeroed range" : "zeroed range (already zero)";
        }
    }

    private static String corruptFile(final Path file, final SplittableRandom random, final long from, final long to)
        throws IOException
    {
        final long offset = from + random.nextLong(Math.max(1, to - from));
        final int how = random.nextInt(3);
        if (how == 0)
        {
            return flip(file.toFile(), offset, random);
        }
        if (how == 1)
        {
            return zero(file.toFile(), offset, 1 + random.nextInt(256));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(offset);
        }
        return "truncation";
    }

    private static void classifyJournalTrial(final Path copy, final Injection injection)
    {
        final String label = injection.label();
        if (injection.kind.endsWith("(already zero)"))
        {
            count(label + " -> no change, not a fault");
            return;
        }
        SUMMARY.add("faults injected: " + label, 1);
        final Path journalDirectory = EngineConfig.journalDirectoryOf(copy);

        String verify = readOnlyPath(journalDirectory, injection);
        if (injection.record != null && injection.record.sequence == reference.last
            && verify.equals("BAD: silently ended at " + (reference.last - 1) + " of " + reference.last))
        {
            verify = "tail record made invisible, read-only path ends before it without a report";
        }
        final String start = startPath(copy, journalDirectory, injection);
        count(label + " -> verify: " + verify);
        count(label + " -> start: " + start);
        final boolean detected = verify.startsWith("detected") || start.startsWith("detected")
            || start.startsWith("tail");
        SUMMARY.add("faults detected: " + label, detected ? 1 : 0);
        if (verify.startsWith("BAD") || start.startsWith("BAD"))
        {
            FAILURES.add(label + " at " + injection.file.getName() + ":" + injection.offset + " (record "
                + (injection.record == null ? "none" : injection.record.sequence) + "): verify " + verify + "; start "
                + start);
        }
    }

    /** Replays the whole journal read-only, as {@code stockflow verify} and {@code state} do. */
    private static String readOnlyPath(final Path journalDirectory, final Injection injection)
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final CommandView view = new CommandView();
        final JournalRecord record = new JournalRecord();
        long last = 0;
        try (JournalReader reader = Journal.openReader(journalDirectory))
        {
            while (reader.readNext(record))
            {
                if (ParametersRecord.is(record))
                {
                    ParametersRecord.decode(record, view);
                    rules.initializeParameters(view.retentionMs(), view.orderCapacity(), view.skuCapacity());
                    continue;
                }
                view.wrap(record.payload(), 0, record.payloadLength());
                rules.checkNext(record.sequence(), record.eventTime());
                rules.apply(record.eventTime(), view);
                last = record.sequence();
            }
        }
        catch (final JournalCorruptionException e)
        {
            return "detected by our record checks" + exactness(e, injection);
        }
        catch (final RuntimeException | InternalError | AssertionError e)
        {
            return "detected by Chronicle/other: " + e.getClass().getSimpleName();
        }
        return judgeCompletedPath(last, rules.view().stateHash(), false);
    }

    /** The writer's open (tail recovery), then an engine start (recovery). */
    private static String startPath(final Path copy, final Path journalDirectory, final Injection injection)
    {
        final TailRecoveryReport tail;
        try (Journal journal = Journal.open(JournalConfig.builder(journalDirectory).rollCycle(ROLL_CYCLE)
            .pretouch(false).build()))
        {
            tail = journal.tailRecovery();
        }
        catch (final JournalCorruptionException e)
        {
            return "detected at open by our record checks" + exactness(e, injection);
        }
        catch (final RuntimeException | InternalError | AssertionError e)
        {
            return "detected at open by Chronicle/other: " + e.getClass().getSimpleName();
        }
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(copy).rollCycle(ROLL_CYCLE).build()).build())
        {
            engine.start();
            final long last = engine.publisher().nextSequence() - 1;
            final String judged = judgeCompletedPath(last, liveHash(engine), tail.tailWasTorn());
            return tail.tailWasTorn() && !judged.startsWith("BAD")
                ? "tail zeroed and reported (" + tail.discardedBytes()
                    + " bytes), " + judged
                : judged;
        }
        catch (final JournalCorruptionException e)
        {
            return "detected at start by our record checks" + exactness(e, injection);
        }
        catch (final RuntimeException | InternalError | AssertionError e)
        {
            return "detected at start by Chronicle/other: " + e.getClass().getSimpleName() + ": " + firstLine(e);
        }
    }

    private static String judgeCompletedPath(final long last, final long hash, final boolean lossReported)
    {
        if (last > reference.last)
        {
            return "BAD: read " + last + " records, more than the " + reference.last + " written";
        }
        final long expected = last == 0 ? new FulfillmentRules(ExpiryListener.NONE).view().stateHash()
            : reference.hashes[(int)last];
        if (hash != expected)
        {
            return "BAD: wrong state at sequence " + last;
        }
        if (last < reference.last)
        {
            return lossReported ? "ended at " + last + " of " + reference.last + " with the loss reported"
                : "BAD: silently ended at " + last + " of " + reference.last;
        }
        return "undetected, state right (harmless)";
    }

    private static String exactness(final JournalCorruptionException e, final Injection injection)
    {
        if (e.file() == null || e.position() < 0)
        {
            return " (no position)";
        }
        final boolean sameFile = e.file().getName().equals(injection.file.getName());
        if (injection.record != null && sameFile && e.position() == injection.record.position)
        {
            return " (exact record position)";
        }
        return sameFile ? " (position in the same file)" : " (position in another file)";
    }

    private static String firstLine(final Throwable e)
    {
        final String message = String.valueOf(e.getMessage());
        final int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).replaceAll("/tmp/\\S+", "<dir>");
    }

    private static synchronized void count(final String outcome)
    {
        OUTCOMES.merge(outcome.replaceAll("\\d{3,}", "N"), 1, Integer::sum);
    }
}
