package io.stockflow.engine;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.stockflow.engine.EngineTestSupport.awaitRelease;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission classes of docs/DOMAIN.md on a 64-slot ring held full by a blocked
 * listener: PLACE is shed below 25% free, RESTOCK and ADJUST below 10%, critical
 * commands wait up to the publish timeout; refused commands leave no trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdmissionTest
{
    @TempDir
    Path directory;

    @Test
    void commandsAreShedByAdmissionClassAsTheRingFills() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final OutcomeListener blocking =
            (sequence, eventTimeMs, type, entityId, rejectReason, logicError) -> awaitRelease(release);
        final EngineConfig config = testConfig(directory).ringSize(64).publishTimeout(Duration.ofMillis(200))
            .snapshotEveryEvents(0).snapshotOnClose(false).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).outcomeListener(blocking).build())
        {
            engine.start();
            final CommandPublisher publisher = engine.publisher();
            long sequence = 0;
            assertEquals(++sequence, publisher.restock(1_000, 1, 1_000_000));
            // Free = 64 - published while the outcome stage holds the first event: PLACE needs 16 free,
            // so the PLACE that would be the 50th command (15 free) is the first one shed.
            while (sequence < 49)
            {
                assertEquals(++sequence, publisher.place(1_001, sequence, 1, 0).line(1, 1, 1).publish(),
                    "PLACE admitted with " + (64 - sequence + 1) + " free");
            }
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.place(1_002, 999, 1, 0).line(1, 1, 1).publish(),
                "PLACE shed below 25% free (16 of 64)");
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.place(1_002, 999, 1, 0).line(1, 1, 1).tryPublish());
            // RESTOCK and ADJUST need ceil(6.4) = 7 free: admitted up to the 58th command.
            while (sequence < 58)
            {
                final long result = sequence % 2 == 0 ? publisher.restock(1_003, 2, 5) : publisher.adjust(1_003, 1, -1);
                assertEquals(++sequence, result, "RESTOCK/ADJUST admitted with " + (64 - sequence + 1) + " free");
            }
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.restock(1_004, 2, 5), "RESTOCK shed below 10%");
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.adjust(1_004, 1, -1), "ADJUST shed below 10%");
            // Critical commands take the ring to the last slot.
            while (sequence < 64)
            {
                assertEquals(++sequence, publisher.cancel(1_005, 1));
            }
            final long waitStart = System.nanoTime();
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.ship(1_006, 2), "critical waits, then times out");
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStart);
            assertTrue(waitedMs >= 150 && waitedMs < 5_000, "waited about the publish timeout: " + waitedMs + " ms");
            assertEquals(PublishRefusal.BACKPRESSURE, publisher.tryDeliver(1_006, 2), "try... fails fast");
            assertEquals(65, publisher.nextSequence(), "refused commands consumed no sequence");

            final Thread opener = new Thread(() ->
            {
                try
                {
                    Thread.sleep(50);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            }, "latch-opener");
            opener.start();
            assertEquals(65, publisher.returnOrder(1_007, 3), "critical succeeds once the ring drains");
            opener.join(10_000);
            assertTrue(engine.awaitReleased(65, Duration.ofSeconds(10)));
        }

        final Map<CommandType, Integer> journaled = new EnumMap<>(CommandType.class);
        final JournalRecord record = new JournalRecord();
        final CommandView view = new CommandView();
        long expected = 1;
        try (JournalReader reader = Journal.openReader(EngineConfig.journalDirectoryOf(directory)))
        {
            while (reader.readNext(record))
            {
                if (ParametersRecord.is(record))
                {
                    continue;
                }
                assertEquals(expected++, record.sequence());
                view.wrap(record.payload(), 0, record.payloadLength());
                journaled.merge(view.type(), 1, Integer::sum);
                if (view.type() == CommandType.PLACE)
                {
                    assertTrue(view.order() != 999, "a shed PLACE is not in the journal");
                }
            }
        }
        assertEquals(66, expected, "exactly the 65 admitted commands are journaled");
        assertEquals(48, journaled.get(CommandType.PLACE));
        assertEquals(1 + 9, journaled.get(CommandType.RESTOCK) + journaled.get(CommandType.ADJUST));
        assertEquals(6, journaled.get(CommandType.CANCEL));
        assertEquals(null, journaled.get(CommandType.SHIP));
        assertEquals(null, journaled.get(CommandType.DELIVER));
        assertEquals(1, journaled.get(CommandType.RETURN));
    }
}
