package io.stockflow.engine.reliability;

import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineTestSupport;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import io.stockflow.journal.testing.Tmpfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.quietConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk full, beyond {@code PipelineGuaranteesTest} (which fills a tmpfs under an
 * idle in-process engine): here a child JVM runs the engine under full load,
 * with pretouch on, while the parent fills the tmpfs under it, so a mapped write
 * into a full file system would raise SIGBUS and kill the child outright if the
 * free-space guard failed. The child must see the engine halt (publishers told),
 * close cleanly and exit 0; every outcome it acknowledged must be in the journal
 * with the same result; after the space is freed a restart recovers exactly the
 * journaled state and goes on.
 */
@Slow
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DiskFullUnderLoadTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("disk-full");

    @TempDir
    Path directory;

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    @Test
    void engineUnderLoadHaltsCleanlyWhenItsTmpfsFillsAndARestartAfterFreeingSpaceGoesOn() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mount(directory.resolve("tmpfs"), 200))
        {
            final Path mount = tmpfs.path();
            final Path engineDirectory = mount.resolve("engine");
            final Path ackFile = directory.resolve("acks");
            final String halted;
            final int exit;
            try (ChildJvm child = ChildJvm.start(true, LoadChildMain.class, "load", engineDirectory.toString(),
                ackFile.toString(), "77", Durability.PROCESS_CRASH.name(), "0", JournalRollCycle.HOURLY.name(), "true"))
            {
                child.awaitLine("READY ", 60);
                Thread.sleep(500);
                tmpfs.fillLeaving(16L << 20);
                halted = child.awaitLine("HALTED ", 60);
                exit = child.waitForExit(60);
                assertEquals(0, exit, "the child closed cleanly after the halt (no SIGBUS): " + child.stderrText());
            }
            assertTrue(halted.contains("ENGINE_HALTED") && halted.contains("journal"), halted);
            SUMMARY.add("disk full under load: engine halted fail-stop, child JVM exited 0", 1);

            final EngineTestSupport.ReplayedJournal replayed =
                EngineTestSupport.replayJournal(EngineConfig.journalDirectoryOf(engineDirectory));
            final int acknowledged = checkAcknowledged(ackFile, replayed);
            SUMMARY.add("disk full: acknowledged outcomes checked", acknowledged);
            SUMMARY.add("disk full: acknowledged outcomes lost", 0);
            assertTrue(acknowledged > 1_000, "the child acknowledged outcomes before the disk filled: " + acknowledged);

            Files.delete(mount.resolve("filler"));
            try (StockflowEngine engine = StockflowEngine.builder(quietConfig(engineDirectory).build()).build())
            {
                engine.start();
                assertEquals(replayed.last + 1, engine.publisher().nextSequence(), "recovered every journaled event");
                assertEquals(replayed.hashes[(int)replayed.last], liveHash(engine), "recovered the journal's state");
                final long next = engine.publisher().restock(CommandPublisher.NOW, 1, 1);
                assertEquals(replayed.last + 1, next, "after space is freed a restart goes on");
                assertTrue(engine.awaitReleased(next, Duration.ofSeconds(10)));
            }
            AfterCrashChecks.verifyRecovered(SUMMARY, engineDirectory, "disk full");
            SUMMARY.add("disk full: restart after freeing space recovered and went on", 1);
            System.out.printf("disk full: child halted with '%s', journal ends at %d, %d acknowledgements checked%n",
                halted, replayed.last, acknowledged);
        }
    }

    private static int checkAcknowledged(final Path ackFile, final EngineTestSupport.ReplayedJournal replayed)
        throws IOException
    {
        final ByteBuffer acks = ByteBuffer.wrap(Files.readAllBytes(ackFile)).order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        for (int i = 0; i < LoadChildMain.ACK_CAPACITY; i++)
        {
            final long tag = acks.getLong(i * LoadChildMain.ACK_ENTRY_BYTES + Long.BYTES);
            if (tag == 0)
            {
                break;
            }
            final long sequence = tag >>> 8;
            assertTrue(sequence <= replayed.last,
                "acknowledged " + sequence + " but journaled only to " + replayed.last);
            if ((tag & 0xFF) != LoadChildMain.EXPIRY_TAG)
            {
                assertEquals(replayed.outcomes[(int)sequence], (int)(tag & 0xFF) - 2, "result of " + sequence);
            }
            count++;
        }
        return count;
    }

}
