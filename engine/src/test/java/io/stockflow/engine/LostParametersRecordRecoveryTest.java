package io.stockflow.engine;

import io.stockflow.engine.recovery.DirectoryVerifier;
import io.stockflow.engine.recovery.JournalSalvage;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.engine.rules.StateView;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.FileTree;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's start on a directory whose first cycle file held only the parameters record and
 * was removed: without a snapshot it refuses to start (a full replay would use 0, 0, 0), with one
 * it recovers the state from the snapshot as before, and a directory created before
 * {@code engine-directory.properties} recorded the parameters record starts under 0, 0, 0 as it
 * always did.
 */
@Slow
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostParametersRecordRecoveryTest
{
    private static final long RETENTION_MS = 3_600_000;
    private static final long ORDER_CAPACITY = 5_000;
    private static final long SKU_CAPACITY = 500;

    @TempDir
    Path directory;

    private Path engineDirectory;
    private long hashBefore;
    private long lastBefore;
    private Path parametersCycle;
    private long commandsCycleBytes;

    @BeforeEach
    void aDirectoryWhoseFirstCycleFileHeldOnlyTheParametersRecordWhichIsGone() throws InterruptedException, IOException
    {
        engineDirectory = directory.resolve("engine");
        try (StockflowEngine created = StockflowEngine.builder(config().build()).build())
        {
            created.start();
        }
        // The commands go into the next second's cycle file.
        Thread.sleep(1_050 - System.currentTimeMillis() % 1_000);
        try (StockflowEngine engine = StockflowEngine.builder(config().snapshotOnClose(true).build()).build())
        {
            engine.start();
            lastBefore = EngineTestSupport.publishWorkload(engine, new WorkloadGenerator(7, 200), 500);
            assertTrue(engine.awaitReleased(lastBefore, Duration.ofSeconds(30)));
            hashBefore = liveHash(engine);
        }
        parametersCycle = cycleFileHolding(true);
        assertNotEquals(parametersCycle, cycleFileHolding(false), "the parameters record is alone in its file");
        commandsCycleBytes = Files.size(cycleFileHolding(false));
        Files.delete(parametersCycle);
    }

    @Test
    void withoutASnapshotTheEngineRefusesToStartAndSaysWhatIsMissing() throws IOException
    {
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engineDirectory));
        final StockflowEngine engine = StockflowEngine.builder(config().build()).build();
        final ParametersRecordMissingException refused =
            assertThrows(ParametersRecordMissingException.class, engine::start);
        engine.close();
        assertTrue(refused.getMessage().startsWith("the journal's parameters record is missing: ")
            && refused.getMessage().contains("retentionMs " + RETENTION_MS + ", orderCapacity " + ORDER_CAPACITY
                + ", skuCapacity " + SKU_CAPACITY)
            && refused.getMessage().contains("restore it into " + EngineConfig.journalDirectoryOf(engineDirectory)),
            refused.getMessage());
        assertEquals(lastBefore, lastSequence(), "nothing was appended by the refused start");

        final DirectoryVerifier verifier =
            new DirectoryVerifier(engineDirectory, null, new PrintWriter(new StringWriter()),
                DirectoryVerifier.ProgressDisplays.NONE);
        assertThrows(ParametersRecordMissingException.class, verifier::verify);
    }

    @Test
    void salvageCopiesEveryCommandUnderTheParametersTheDirectoryRecorded()
    {
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engineDirectory));
        final Path salvaged = directory.resolve("salvaged");
        final JournalSalvage.Result result = JournalSalvage.salvage(engineDirectory, salvaged, ReplayProgress.NONE);
        assertEquals(lastBefore, result.copied());
        assertNull(result.fault());
        assertEquals(hashBefore, result.stateHash(), "the copy reaches the state the journal had");
        assertTrue(result.substitutedParameters() != null
            && result.substitutedParameters().contains("parameters record is missing")
            && result.substitutedParameters().contains("retentionMs " + RETENTION_MS + ", orderCapacity "
                + ORDER_CAPACITY + ", skuCapacity " + SKU_CAPACITY),
            result.substitutedParameters());
        try (StockflowEngine engine = StockflowEngine.builder(quietConfig(salvaged).build()).build())
        {
            engine.start();
            assertEquals(hashBefore, liveHash(engine), "the salvaged directory recovers the same state");
            assertEquals(RETENTION_MS, (long)engine.query(StateView::retentionMs).join());
        }
    }

    /*
     * A power cut under PROCESS_CRASH can leave the file as zeros (none of its pages written back)
     * beside later ones that were: the journal's open moves it aside, and the refusal names it.
     */
    @Test
    void aFileOfZerosWhereTheParametersRecordWasIsNamedInTheRefusal() throws IOException
    {
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engineDirectory));
        try (FileChannel zeros = FileChannel.open(parametersCycle, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE))
        {
            zeros.write(ByteBuffer.allocate(1), commandsCycleBytes - 1);
        }
        final StockflowEngine engine = StockflowEngine.builder(config().build()).build();
        final ParametersRecordMissingException refused =
            assertThrows(ParametersRecordMissingException.class, engine::start);
        engine.close();
        assertTrue(refused.getMessage().contains("was moved aside as " + parametersCycle.getFileName()
            + CycleFiles.INCOMPLETE_MARK), refused.getMessage());
        assertEquals(lastBefore, lastSequence(), "nothing was appended by the refused start");
        final JournalSalvage.Result salvaged =
            JournalSalvage.salvage(engineDirectory, directory.resolve("salvaged"), ReplayProgress.NONE);
        assertEquals(lastBefore, salvaged.copied());
        assertEquals(hashBefore, salvaged.stateHash(), "salvage copies every command under the recorded parameters");
    }

    @Test
    void withASnapshotTheEngineRecoversTheStateWithItsParameters()
    {
        try (StockflowEngine engine = StockflowEngine.builder(config().build()).build())
        {
            engine.start();
            assertEquals(hashBefore, liveHash(engine));
            assertEquals(RETENTION_MS, (long)engine.query(StateView::retentionMs).join());
            assertEquals(ORDER_CAPACITY, (long)engine.query(StateView::orderCapacity).join());
            assertEquals(SKU_CAPACITY, (long)engine.query(StateView::skuCapacity).join());
        }
    }

    @Test
    void aDirectoryCreatedBeforeTheRecordSaidSoStartsUnderZeroParameters() throws IOException
    {
        // As written before the key existed: the failure policy alone.
        Files.writeString(engineDirectory.resolve(EngineDirectoryRecord.FILE_NAME), "logicFailurePolicy=HALT\n");
        FileTree.deleteRecursivelyUnchecked(EngineConfig.snapshotDirectoryOf(engineDirectory));
        try (StockflowEngine engine = StockflowEngine.builder(config().build()).build())
        {
            engine.start();
            assertEquals(lastBefore, (long)engine.query(StateView::lastSequence).join());
            assertEquals(0L, (long)engine.query(StateView::retentionMs).join());
            assertEquals(0L, (long)engine.query(StateView::orderCapacity).join());
            assertEquals(0L, (long)engine.query(StateView::skuCapacity).join());
        }
    }

    private EngineConfig.Builder config()
    {
        return quietConfig(engineDirectory).rollCycle(JournalRollCycle.TEST_SECONDLY)
            .ruleParameters(RETENTION_MS, ORDER_CAPACITY, SKU_CAPACITY);
    }

    /** @return the cycle file holding the parameters record, or the one holding sequence 1. */
    private Path cycleFileHolding(final boolean parametersRecord)
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            final JournalRecord record = new JournalRecord();
            if (parametersRecord)
            {
                assertTrue(reader.readNext(record) && ParametersRecord.is(record), "the journal's first record");
            }
            else
            {
                assertTrue(reader.seekToSequence(1) && reader.readNext(record) && record.sequence() == 1);
            }
            return record.file().toPath();
        }
    }

    private long lastSequence()
    {
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(engineDirectory)))
        {
            return reader.lastSequence();
        }
    }
}
