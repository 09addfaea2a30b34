package io.stockflow.engine;

import io.stockflow.engine.snapshot.InvalidSnapshotException;
import io.stockflow.engine.snapshot.SnapshotMetadata;
import io.stockflow.engine.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static io.stockflow.engine.EngineTestSupport.liveHash;
import static io.stockflow.engine.EngineTestSupport.publishMixed;
import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine directory whose newest snapshot was written by the previous release (schema 3, fixed-width
 * order records) recovers from that snapshot after the upgrade, to the journal's state. This matters
 * beyond speed: with archival on, the journal before the newest snapshot may be gone, so a snapshot the
 * new engine could not read would leave nothing to recover from.
 *
 * <p>The fixture in {@code src/test/resources/snapshot-schema-3} was written by the engine at 76d7917
 * after {@code publishMixed(engine, 31, 4_000, 0.05)} on {@link EngineTestSupport#testConfig}, closed with
 * a snapshot; its map files are stored gzipped (they are mostly the map's empty space).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotSchemaUpgradeTest
{
    private static final String FIXTURE = "/snapshot-schema-3/";
    private static final long FIXTURE_SEQUENCE = 4_000;

    @TempDir
    Path directory;

    @Test
    void aSnapshotOfThePreviousSchemaIsLoadedAndTheEngineRecoversFromIt() throws IOException, InvalidSnapshotException
    {
        final long journalHash;
        final EngineConfig noSnapshots = testConfig(directory).snapshotEveryEvents(0).snapshotOnClose(false).build();
        try (StockflowEngine engine = StockflowEngine.builder(noSnapshots).build())
        {
            engine.start();
            final long last = publishMixed(engine, 31, 4_000, 0.05);
            assertEquals(FIXTURE_SEQUENCE, last);
            assertTrue(engine.awaitReleased(last, Duration.ofSeconds(30)));
            journalHash = liveHash(engine);
        }
        final Path snapshot = installFixture(new SnapshotStore(directory.resolve("snapshots")));
        final SnapshotMetadata metadata = SnapshotStore.readMetadata(snapshot);
        assertEquals(SnapshotMetadata.FIXED_ORDERS_SCHEMA_VERSION, metadata.schemaVersion());
        assertEquals(Long.toHexString(journalHash), Long.toHexString(metadata.stateHash()),
            "the fixture holds the state of the same commands");
        assertEquals(0, metadata.orderCapacityRefusals(), "a snapshot written before the refusal counts reads 0");
        assertEquals(0, metadata.skuCapacityRefusals());

        try (StockflowEngine engine = StockflowEngine.builder(noSnapshots).build())
        {
            engine.start();
            assertEquals(snapshot, engine.recovery().snapshot(), "recovered from the schema-3 snapshot");
            assertEquals(List.of(), engine.recovery().skippedSnapshots());
            assertEquals(journalHash, liveHash(engine));
        }
    }

    private Path installFixture(final SnapshotStore store) throws IOException
    {
        final Path snapshot = store.directory().resolve(String.format("snapshot-%020d", FIXTURE_SEQUENCE));
        Files.createDirectories(snapshot);
        copy(FIXTURE + "snapshot.properties", snapshot.resolve("snapshot.properties"), false);
        copy(FIXTURE + "skus.cm3.gz", snapshot.resolve("skus.cm3"), true);
        copy(FIXTURE + "orders.cm3.gz", snapshot.resolve("orders.cm3"), true);
        assertEquals(List.of(snapshot), store.listNewestFirst());
        return snapshot;
    }

    private static void copy(final String resource, final Path to, final boolean gzipped) throws IOException
    {
        try (InputStream raw = SnapshotSchemaUpgradeTest.class.getResourceAsStream(resource))
        {
            assertTrue(raw != null, "test resource " + resource);
            try (InputStream in = gzipped ? new GZIPInputStream(raw) : raw)
            {
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
