package io.stockflow.engine;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.rules.StateRestorer;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.engine.snapshot.StateImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.replay;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of snapshot fault on its own: the faulty snapshot is skipped, recovery
 * falls back to the next older one or to a full replay, and the state is still
 * exactly the journal's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotChecksTest
{
    @TempDir
    Path directory;

    private final List<Path> snapshots = new ArrayList<>();
    private long finalHash;

    /** Three runs, each closed with a snapshot: three snapshots at three sequences. */
    @BeforeEach
    void threeRunsWithASnapshotEach()
    {
        final EngineConfig config = testConfig(directory).snapshotEveryEvents(0).snapshotsRetained(5).build();
        for (int run = 0; run < 3; run++)
        {
            try (StockflowEngine engine = StockflowEngine.builder(config).build())
            {
                engine.start();
                final long last = publishMixed(engine, 31 + run, 4_000, 0.05);
                assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
                finalHash = liveHash(engine);
            }
        }
        snapshots.addAll(store().listNewestFirst());
        assertEquals(3, snapshots.size(), "one snapshot per clean close");
    }

    @Test
    void truncatedSnapshotIsSkippedForTheNextOlder() throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(newest().resolve("orders.cm3").toFile(), "rw"))
        {
            file.setLength(file.length() / 2);
        }
        assertFallsBackTo(snapshots.get(1), "orders.cm3 is");
    }

    @Test
    void bitFlippedSnapshotIsSkippedForTheNextOlder() throws IOException
    {
        final Path file = newest().resolve("skus.cm3");
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(file, bytes);
        assertFallsBackTo(snapshots.get(1), "CRC32C");
    }

    @Test
    void snapshotWithAMissingFileIsSkippedForTheNextOlder() throws IOException
    {
        Files.delete(newest().resolve("skus.cm3"));
        assertFallsBackTo(snapshots.get(1), "missing");
    }

    @Test
    void snapshotWithMissingMetadataIsSkippedForTheNextOlder() throws IOException
    {
        Files.delete(newest().resolve("snapshot.properties"));
        assertFallsBackTo(snapshots.get(1), "snapshot.properties");
    }

    @Test
    void snapshotOfAnotherSchemaVersionIsSkippedForTheNextOlder() throws IOException
    {
        rewriteMetadata(newest(), "schemaVersion", "2");
        assertFallsBackTo(snapshots.get(1), "schema version 2, this engine reads 3 and 4");
    }

    @Test
    void snapshotWhoseStateHashDiffersIsSkippedForTheNextOlder() throws IOException
    {
        rewriteMetadata(newest(), "stateHash", "123456789abcdef");
        assertFallsBackTo(snapshots.get(1), "state hash");
    }

    @Test
    void metadataWithABadChecksumIsSkippedForTheNextOlder() throws IOException
    {
        final Path file = newest().resolve("snapshot.properties");
        final String text = Files.readString(file).replace("events=", "events=1");
        Files.writeString(file, text);
        assertFallsBackTo(snapshots.get(1), "checksum");
    }

    @Test
    void everySnapshotFaultyFallsBackToAFullReplay() throws IOException
    {
        for (final Path snapshot : snapshots)
        {
            rewriteMetadata(snapshot, "stateHash", "1");
        }
        final Recovery.RecoveryResult result = replay(directory, true);
        assertNull(result.snapshot(), "full replay");
        assertEquals(3, result.skippedSnapshots().size());
        assertEquals(finalHash, result.replayer().state().stateHash());
    }

    @Test
    void engineStartsFromTheOlderSnapshotWhenTheNewestIsCorrupt() throws IOException
    {
        Files.delete(newest().resolve("orders.cm3"));
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotOnClose(false).build())
            .build())
        {
            engine.start();
            assertEquals(snapshots.get(1), engine.recovery().snapshot());
            assertEquals(1, engine.recovery().skippedSnapshots().size());
            assertEquals(finalHash, liveHash(engine));
        }
    }

    @Test
    void halfWrittenTemporarySnapshotIsRemovedAtStart() throws IOException
    {
        final Path temp = store().directory().resolve(".snapshot-00000000000099999999.tmp");
        Files.createDirectories(temp);
        Files.write(temp.resolve("skus.cm3"), new byte[4096]);
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotOnClose(false).build())
            .build())
        {
            engine.start();
            assertFalse(Files.exists(temp), "temporary snapshot directory removed");
            assertEquals(snapshots.get(0), engine.recovery().snapshot(), "the half-written one is not a candidate");
        }
    }

    /** A crash while retention deleted an old snapshot leaves its renamed-away remains; start removes them. */
    @Test
    void retiredSnapshotCutShortByACrashIsRemovedAtStart() throws IOException
    {
        final Path retired = store().directory().resolve(".snapshot-00000000000000000001.deleting");
        Files.createDirectories(retired);
        Files.write(retired.resolve("orders.cm3"), new byte[4096]);
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotOnClose(false).build())
            .build())
        {
            engine.start();
            assertFalse(Files.exists(retired), "retired snapshot remains removed");
            assertEquals(snapshots.get(0), engine.recovery().snapshot());
        }
    }

    @Test
    void retentionKeepsTheNewestSnapshots() throws IOException
    {
        final EngineConfig config = testConfig(directory).snapshotEveryEvents(0).snapshotsRetained(2).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            final long last = publishMixed(engine, 77, 1_000, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
        }
        final List<Path> kept = store().listNewestFirst();
        assertEquals(2, kept.size(), "kept " + kept);
        assertEquals(snapshots.get(0), kept.get(1), "the previous newest is the second newest now");
        assertTrue(SnapshotStore.sequenceOf(kept.get(0)) > SnapshotStore.sequenceOf(snapshots.get(0)));
        try (var entries = Files.list(store().directory()))
        {
            assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                "retention leaves no renamed-away snapshot behind");
        }
    }

    /**
     * Chronicle Map maps the file read-write to load it; loading must leave its
     * bytes as they were, or the second load (the next restart) would fail the CRC
     * and silently degrade to an older snapshot or a full replay.
     */
    @Test
    void loadingTheSameSnapshotTwiceWorksAndLeavesItsFilesUnchanged() throws Exception
    {
        final Path snapshot = newest();
        final byte[] skusBefore = Files.readAllBytes(snapshot.resolve("skus.cm3"));
        final byte[] ordersBefore = Files.readAllBytes(snapshot.resolve("orders.cm3"));
        final byte[] metadataBefore = Files.readAllBytes(snapshot.resolve("snapshot.properties"));
        for (int load = 0; load < 2; load++)
        {
            final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
            SnapshotStore.loadInto(snapshot, new StateRestorer(rules));
            assertEquals(SnapshotStore.readMetadata(snapshot).stateHash(), rules.view().stateHash(), "load " + load);
        }
        assertArrayEquals(skusBefore, Files.readAllBytes(snapshot.resolve("skus.cm3")));
        assertArrayEquals(ordersBefore, Files.readAllBytes(snapshot.resolve("orders.cm3")));
        assertArrayEquals(metadataBefore, Files.readAllBytes(snapshot.resolve("snapshot.properties")));
        final Recovery.RecoveryResult again = replay(directory, true);
        assertEquals(snapshot, again.snapshot());
        assertTrue(again.skippedSnapshots().isEmpty(), "skipped " + again.skippedSnapshots());
    }

    @Test
    void snapshotHoldUpOfTheLogicStageIsCounted() throws InterruptedException
    {
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).snapshotEveryEvents(1_000)
            .snapshotOnClose(false).build()).build())
        {
            engine.start();
            final long last = publishMixed(engine, 5, 5_000, 0.0);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (engine.counters().get(EngineCounter.SNAPSHOTS) == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(engine.counters().get(EngineCounter.SNAPSHOTS) > 0, "a snapshot was written");
            assertTrue(engine.counters().get(EngineCounter.SNAPSHOT_LAST_HOLD_NS) > 0, "hold-up measured");
            assertTrue(engine.counters().get(EngineCounter.SNAPSHOT_LAST_WRITE_NS) > 0, "write time measured");
        }
    }

    /**
     * {@link StateImage#capture} (done on the snapshot thread from the shadow state) of
     * about a million entities holds every SKU and every order, each time it is reused.
     * How long it took is printed for the engineering note, never asserted: the time
     * depends on the machine.
     */
    @Test
    void snapshotCaptureOfAMillionEntitiesHoldsEverySkuAndOrderEachTimeTheImageIsReused()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE, 600_000, 500_000);
        final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        final long time = 1_700_000_000_000L;
        for (int sku = 1; sku <= 500_000; sku++)
        {
            view.wrap(payload, 0, CommandCodec.encodeRestock(payload, 0, sku, 1_000));
            rules.apply(time, view);
        }
        for (int order = 1; order <= 500_000; order++)
        {
            final int length = CommandCodec.encodePlaceHeader(payload, 0, order, 7, 600_000_000 / 1000, 2);
            CommandCodec.encodePlaceLine(payload, 0, 0, 1 + order % 500_000, 1, 100);
            CommandCodec.encodePlaceLine(payload, 0, 1, 1 + (order + 1) % 500_000, 1, 100);
            view.wrap(payload, 0, length);
            rules.apply(time, view);
        }
        final StateImage image = new StateImage();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long start = System.nanoTime();
            image.capture(rules.view());
            best = Math.min(best, System.nanoTime() - start);
            assertEquals(500_000, image.skuCount(), "round " + round);
            assertEquals(500_000, image.orderCount(), "round " + round);
        }
        System.out.printf("snapshot capture (logic stage hold-up) of %d SKUs + %d orders: best %.1f ms%n",
            image.skuCount(), image.orderCount(), best / 1e6);
    }

    private SnapshotStore store()
    {
        return new SnapshotStore(EngineConfig.snapshotDirectoryOf(directory));
    }

    private Path newest()
    {
        return snapshots.get(0);
    }

    private void assertFallsBackTo(final Path expected, final String reasonFragment)
    {
        final Recovery.RecoveryResult result = replay(directory, true);
        assertEquals(expected, result.snapshot(), "fell back to the next older snapshot");
        assertEquals(1, result.skippedSnapshots().size(), "skipped " + result.skippedSnapshots());
        assertTrue(result.skippedSnapshots().get(0).contains(reasonFragment),
            "reason names the fault: " + result.skippedSnapshots().get(0));
        assertEquals(finalHash, result.replayer().state().stateHash(), "state equals the journal's");
    }

    /** Sets one metadata field and recomputes the metadata's own checksum, so only that field's check fails. */
    private static void rewriteMetadata(final Path snapshot, final String key, final String value) throws IOException
    {
        final Path file = snapshot.resolve("snapshot.properties");
        final StringBuilder body = new StringBuilder();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            if (line.startsWith("checksum="))
            {
                continue;
            }
            body.append(line.startsWith(key + "=") ? key + "=" + value : line).append('\n');
        }
        final CRC32C crc = new CRC32C();
        crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
        body.append("checksum=").append(Long.toHexString(crc.getValue())).append('\n');
        Files.writeString(file, body.toString());
    }
}
