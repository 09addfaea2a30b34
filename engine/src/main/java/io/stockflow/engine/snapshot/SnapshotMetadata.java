package io.stockflow.engine.snapshot;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.CRC32C;

/**
 * What a snapshot says about itself, stored beside its Chronicle Map files as
 * {@code snapshot.properties}: the sequence boundary, event time, event count,
 * state hash, schema version, entity counts, and the size and CRC32C of each map
 * file (checked before Chronicle Map opens them, so a truncated or corrupted file
 * is refused without being mapped). The properties text carries its own CRC32C
 * on its last line.
 */
public final class SnapshotMetadata
{
    /**
     * Version of the snapshot layout this engine writes; a snapshot of a version it cannot
     * read is ignored (recovery then falls back to an older snapshot or replays the journal).
     * 2: orders carry changedAt, and the metadata the rule parameters and the count of
     * forgotten orders. 3: orders stored in chunks of rows
     * ({@link SnapshotLayout#ORDERS_PER_CHUNK}), not one map entry per order. 4: the chunks'
     * records in {@link SnapshotLayout}'s compact encoding.
     */
    public static final int SCHEMA_VERSION = 4;
    /**
     * The previous version, whose chunks hold fixed-width records; still read, so a directory
     * whose journal was archived up to its newest snapshot recovers after an upgrade.
     */
    public static final int FIXED_ORDERS_SCHEMA_VERSION = 3;

    static final String FILE_NAME = "snapshot.properties";
    private static final String CHECKSUM_KEY = "checksum";

    final int schemaVersion;
    final long lastSequence;
    final long eventTimeMs;
    final long events;
    final long stateHash;
    final long retentionMs;
    final long orderCapacity;
    final long skuCapacity;
    final long ordersForgotten;
    final long orderCapacityRefusals;
    final long skuCapacityRefusals;
    final long skuCount;
    final long orderCount;
    final long skuFileSize;
    final long skuFileCrc;
    final long orderFileSize;
    final long orderFileCrc;

    SnapshotMetadata(
        final int schemaVersion,
        final long lastSequence,
        final long eventTimeMs,
        final long events,
        final long stateHash,
        final long retentionMs,
        final long orderCapacity,
        final long skuCapacity,
        final long ordersForgotten,
        final long orderCapacityRefusals,
        final long skuCapacityRefusals,
        final long skuCount,
        final long orderCount,
        final long skuFileSize,
        final long skuFileCrc,
        final long orderFileSize,
        final long orderFileCrc)
    {
        this.schemaVersion = schemaVersion;
        this.lastSequence = lastSequence;
        this.eventTimeMs = eventTimeMs;
        this.events = events;
        this.stateHash = stateHash;
        this.retentionMs = retentionMs;
        this.orderCapacity = orderCapacity;
        this.skuCapacity = skuCapacity;
        this.ordersForgotten = ordersForgotten;
        this.orderCapacityRefusals = orderCapacityRefusals;
        this.skuCapacityRefusals = skuCapacityRefusals;
        this.skuCount = skuCount;
        this.orderCount = orderCount;
        this.skuFileSize = skuFileSize;
        this.skuFileCrc = skuFileCrc;
        this.orderFileSize = orderFileSize;
        this.orderFileCrc = orderFileCrc;
    }

    /** @return the layout version the snapshot was written in. */
    public int schemaVersion()
    {
        return schemaVersion;
    }

    /** @return the sequence of the last event the snapshot contains. */
    public long lastSequence()
    {
        return lastSequence;
    }

    /** @return the event time of that event. */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    /** @return how many journaled commands the state contains. */
    public long events()
    {
        return events;
    }

    /** @return the state hash at that sequence. */
    public long stateHash()
    {
        return stateHash;
    }

    /** @return the rule parameter retentionMs at that sequence. */
    public long retentionMs()
    {
        return retentionMs;
    }

    /** @return the rule parameter orderCapacity at that sequence. */
    public long orderCapacity()
    {
        return orderCapacity;
    }

    /** @return the rule parameter skuCapacity at that sequence. */
    public long skuCapacity()
    {
        return skuCapacity;
    }

    /** @return the orders forgotten up to that sequence. */
    public long ordersForgotten()
    {
        return ordersForgotten;
    }

    /** @return PLACEs refused by the order capacity up to the snapshot; 0 in a snapshot written before they were kept. */
    public long orderCapacityRefusals()
    {
        return orderCapacityRefusals;
    }

    /** @return RESTOCKs refused by the SKU capacity up to the snapshot; 0 in a snapshot written before they were kept. */
    public long skuCapacityRefusals()
    {
        return skuCapacityRefusals;
    }

    /** @return SKUs in the snapshot. */
    public long skuCount()
    {
        return skuCount;
    }

    /** @return orders in the snapshot. */
    public long orderCount()
    {
        return orderCount;
    }

    String toText()
    {
        final StringBuilder text = new StringBuilder(512);
        text.append("schemaVersion=").append(schemaVersion).append('\n')
            .append("lastSequence=").append(lastSequence).append('\n')
            .append("eventTime=").append(eventTimeMs).append('\n')
            .append("events=").append(events).append('\n')
            .append("stateHash=").append(Long.toHexString(stateHash)).append('\n')
            .append("retentionMs=").append(retentionMs).append('\n')
            .append("orderCapacity=").append(orderCapacity).append('\n')
            .append("skuCapacity=").append(skuCapacity).append('\n')
            .append("ordersForgotten=").append(ordersForgotten).append('\n')
            .append("orderCapacityRefusals=").append(orderCapacityRefusals).append('\n')
            .append("skuCapacityRefusals=").append(skuCapacityRefusals).append('\n')
            .append("skuCount=").append(skuCount).append('\n')
            .append("orderCount=").append(orderCount).append('\n')
            .append("skuFileSize=").append(skuFileSize).append('\n')
            .append("skuFileCrc=").append(Long.toHexString(skuFileCrc)).append('\n')
            .append("orderFileSize=").append(orderFileSize).append('\n')
            .append("orderFileCrc=").append(Long.toHexString(orderFileCrc)).append('\n');
        final long checksum = crcOf(text.toString());
        text.append(CHECKSUM_KEY).append('=').append(Long.toHexString(checksum)).append('\n');
        return text.toString();
    }

    static SnapshotMetadata parse(final String text) throws InvalidSnapshotException
    {
        final int checksumAt = text.lastIndexOf(CHECKSUM_KEY + "=");
        if (checksumAt < 0 || !text.endsWith("\n"))
        {
            // The checksum line is written last with its newline: without both the file was cut short.
            throw new InvalidSnapshotException("metadata has no complete checksum line");
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(text));
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new InvalidSnapshotException("metadata is not readable: " + e.getMessage());
        }
        final long expected = hex(properties, CHECKSUM_KEY);
        final long actual = crcOf(text.substring(0, checksumAt));
        if (expected != actual)
        {
            throw new InvalidSnapshotException("metadata checksum mismatch");
        }
        final int version = (int)number(properties, "schemaVersion");
        if (version != SCHEMA_VERSION && version != FIXED_ORDERS_SCHEMA_VERSION)
        {
            throw new InvalidSnapshotException("schema version " + version + ", this engine reads "
                + FIXED_ORDERS_SCHEMA_VERSION + " and " + SCHEMA_VERSION);
        }
        return new SnapshotMetadata(
            version,
            number(properties, "lastSequence"),
            number(properties, "eventTime"),
            number(properties, "events"),
            hex(properties, "stateHash"),
            number(properties, "retentionMs"),
            number(properties, "orderCapacity"),
            number(properties, "skuCapacity"),
            number(properties, "ordersForgotten"),
            optionalNumber(properties, "orderCapacityRefusals"),
            optionalNumber(properties, "skuCapacityRefusals"),
            number(properties, "skuCount"),
            number(properties, "orderCount"),
            number(properties, "skuFileSize"),
            hex(properties, "skuFileCrc"),
            number(properties, "orderFileSize"),
            hex(properties, "orderFileCrc"));
    }

    private static long number(final Properties properties, final String key) throws InvalidSnapshotException
    {
        final String value = properties.getProperty(key);
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw new InvalidSnapshotException("metadata field " + key + "=" + value + " is not a number");
        }
    }

    /**
     * A field added without a new schema version: a snapshot written before it has none and reads 0.
     * The capacity refusals are counts, not state: the state hash does not cover them.
     */
    private static long optionalNumber(final Properties properties, final String key) throws InvalidSnapshotException
    {
        return properties.getProperty(key) == null ? 0 : number(properties, key);
    }

    private static long hex(final Properties properties, final String key) throws InvalidSnapshotException
    {
        final String value = properties.getProperty(key);
        try
        {
            return Long.parseUnsignedLong(value, 16);
        }
        catch (final NumberFormatException e)
        {
            throw new InvalidSnapshotException("metadata field " + key + "=" + value + " is not hexadecimal");
        }
    }

    private static long crcOf(final String text)
    {
        final CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
