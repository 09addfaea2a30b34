package io.stockflow.engine.counters;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every counter the engine keeps, with the thread that writes it. The ordinal
 * is the counter's slot in the counters file ({@link CountersLayout}); append
 * new counters at the end and bump {@link CountersLayout#VERSION} if one is
 * removed or reordered.
 *
 * <p>Owners: {@code publisher} is the caller's thread; {@code journal},
 * {@code logic} and {@code outcome} the stage threads; {@code snapshot} the
 * snapshot thread (and the logic thread for the hold-up it suffers);
 * {@code sampler} the engine's {@link CountersSampler} thread; {@code archiver} the engine's
 * journal archiver thread.
 *
 * <p>Derived figures a reader computes: mean batch size of a stage =
 * {@code *_EVENTS / *_BATCHES}; share of time a stage works =
 * {@code delta(*_WORK_NS) / elapsed} between two reads ({@code *_WAIT_NS} is
 * counted when the next batch starts, so it lags while a stage is idle).
 */
public enum EngineCounter
{
    PUBLISHED("publisher", "commands published (sequences assigned)"),
    REFUSED_BACKPRESSURE_NORMAL("publisher", "PLACE refused: ring below the normal watermark"),
    REFUSED_BACKPRESSURE_HIGH("publisher", "RESTOCK/ADJUST refused: ring below the high watermark"),
    REFUSED_BACKPRESSURE_CRITICAL("publisher", "critical commands refused: no slot within the timeout"),
    REFUSED_STOPPING("publisher", "refused: engine draining or stopped"),
    REFUSED_HALTED("publisher", "refused: engine halted"),
    RING_FREE_MIN("publisher", "lowest free ring capacity seen at publish"),

    JOURNAL_SEQUENCE("journal", "last sequence appended"),
    JOURNAL_COMMITTED_SEQUENCE("journal", "last sequence durable at the configured level"),
    JOURNAL_BYTES("journal", "payload bytes appended"),
    JOURNAL_BATCHES("journal", "batches (group commits)"),
    JOURNAL_BATCH_MAX("journal", "largest batch in the current one-second interval"),
    JOURNAL_LAG("journal", "events behind the ring cursor at the last batch start"),
    JOURNAL_MINOR_FAULTS("journal", "minor page faults taken by the journal thread"),
    JOURNAL_PRETOUCHED_PAGES("journal", "pages pretouched ahead of the writer"),

    LOGIC_SEQUENCE("logic", "last sequence applied"),
    LOGIC_BATCHES("logic", "batches"),
    LOGIC_BATCH_MAX("logic", "largest batch in the current one-second interval"),
    LOGIC_LAG("logic", "events behind the ring cursor at the last batch start"),
    ACCEPTED("logic", "commands accepted"),
    REJECTED_INVALID("logic", "rejected INVALID"),
    REJECTED_LIMIT_EXCEEDED("logic", "rejected LIMIT_EXCEEDED"),
    REJECTED_UNKNOWN_SKU("logic", "rejected UNKNOWN_SKU"),
    REJECTED_INSUFFICIENT_STOCK("logic", "rejected INSUFFICIENT_STOCK"),
    REJECTED_DUPLICATE_ORDER("logic", "rejected DUPLICATE_ORDER"),
    REJECTED_UNKNOWN_ORDER("logic", "rejected UNKNOWN_ORDER"),
    REJECTED_INVALID_STATE("logic", "rejected INVALID_STATE"),
    ORDERS_EXPIRED("logic", "reservations expired"),
    LOGIC_ERRORS("logic", "events on which the rules threw"),
    SKUS("logic", "SKUs held"),
    ORDERS("logic", "orders held"),

    OUTCOME_SEQUENCE("outcome", "last sequence released to listeners"),
    OUTCOME_BATCHES("outcome", "batches"),
    OUTCOME_LAG("outcome", "events behind the ring cursor at the last batch start"),
    LATENCY_MAX_NS("outcome", "worst publish-to-release latency since start, ns"),

    SNAPSHOTS("snapshot", "snapshots written"),
    SNAPSHOT_LAST_SEQUENCE("snapshot", "sequence of the newest snapshot"),
    SNAPSHOT_LAST_HOLD_NS("logic", "logic stage held up by snapshot work at the last checkpoint (hash publish), ns"),
    SNAPSHOT_LAST_WRITE_NS("snapshot", "time to write the last snapshot, ns"),
    SNAPSHOT_LAST_BYTES("snapshot", "size of the last snapshot, bytes"),
    SNAPSHOT_FAILURES("snapshot", "snapshot writes that failed"),

    JOURNAL_RECORDS("journal", "records appended since start"),
    JOURNAL_ROLL_OVERS("journal", "moves to a new cycle file since start"),
    JOURNAL_EVENTS("journal", "ring events handled since start (mean batch = events / batches)"),
    JOURNAL_WORK_NS("journal", "time from batch start to batch end, summed, ns"),
    JOURNAL_WAIT_NS("journal", "time from a batch end to the next batch start, summed, ns"),
    LOGIC_EVENTS("logic", "ring events handled since start (mean batch = events / batches)"),
    LOGIC_WORK_NS("logic", "time from batch start to batch end, summed, ns"),
    LOGIC_WAIT_NS("logic", "time from a batch end to the next batch start, summed, ns"),
    OUTCOME_EVENTS("outcome", "ring events handled since start (mean batch = events / batches)"),
    OUTCOME_BATCH_MAX("outcome", "largest batch in the current one-second interval"),
    OUTCOME_WORK_NS("outcome", "time from batch start to batch end, summed, ns"),
    OUTCOME_WAIT_NS("outcome", "time from a batch end to the next batch start, summed, ns"),
    BACKPRESSURE_EPISODES("publisher", "back-pressure episodes: first refusal to the next accepted publish"),
    RING_FREE("sampler", "free ring capacity, sampled about every 100 ms"),
    LATENCY_INTERVAL_NS("sampler", "length of the last latency interval (about 1 s), ns"),
    LATENCY_INTERVAL_COUNT("sampler", "events released in the last latency interval"),
    LATENCY_P50_NS("sampler", "publish-to-release latency of the last interval, median, ns"),
    LATENCY_P99_NS("sampler", "publish-to-release latency of the last interval, 99th percentile, ns"),
    LATENCY_P999_NS("sampler", "publish-to-release latency of the last interval, 99.9th percentile, ns"),
    LATENCY_INTERVAL_MAX_NS("sampler", "publish-to-release latency of the last interval, maximum, ns"),
    RING_CAPACITY("publisher", "ring size in slots (RING_FREE and RING_FREE_MIN are out of this)"),
    SNAPSHOT_HOLD_MAX_NS("logic", "longest the logic stage was held up by snapshot work since start, ns"),
    SHADOW_SEQUENCE("snapshot", "last sequence the shadow state applied (snapshots are written from it)"),
    SHADOW_LAG("snapshot", "events the shadow state is behind the journal's committed sequence"),
    SHADOW_EVENTS("snapshot", "committed events the shadow state applied since start"),
    SHADOW_CHECKPOINTS("snapshot", "checkpoints at which the shadow and live state hashes matched"),
    SHADOW_DIVERGENCES("snapshot", "checkpoints at which they differed (the live state is not the replay's)"),
    // New counters go last: a counters file is laid out by ordinal, and older readers and files must still agree.
    REFUSED_CLOCK_AHEAD("publisher", "refused: ts more than maxClockAheadMs ahead of the engine clock"),
    ORDER_CAPACITY("logic", "rule parameter orderCapacity (0: no limit)"),
    SKU_CAPACITY("logic", "rule parameter skuCapacity (0: no limit)"),
    RETENTION_MS("logic", "rule parameter retentionMs (0: never forget)"),
    ORDERS_FORGOTTEN("logic", "orders forgotten"),
    REFUSED_ORDER_CAPACITY("logic", "PLACE rejected LIMIT_EXCEEDED at orderCapacity"),
    REFUSED_SKU_CAPACITY("logic", "RESTOCK of a new SKU rejected LIMIT_EXCEEDED at skuCapacity"),
    ARCHIVED_CYCLES("archiver", "cycle files moved out of (or deleted from) the journal directory, ever"),
    ARCHIVED_BYTES("archiver", "bytes on disk of those cycle files, ever"),
    ARCHIVE_RUNS("archiver", "archival passes that moved or deleted at least one cycle file since start"),
    ARCHIVE_FAILURES("archiver", "archival passes that failed since start (the files stay where they were)"),
    JOURNAL_DISK_BYTES("sampler", "bytes on disk of the journal directory, sampled about every 5 s"),
    JOURNAL_DISK_BYTES_PER_COMMAND("sampler", "journal directory bytes on disk per command it holds"),
    JOURNAL_WRITE_BYTES_PER_DAY("sampler",
        "journal bytes a day at the current command rate (bytes per command x rate)"),
    DISK_FREE_BYTES("sampler", "bytes still usable on the journal's file system"),
    DISK_FREE_WARNING_BYTES("sampler", "free-space warning level (the journal halts at minFreeDiskBytes below it)"),
    DISK_FREE_WARNINGS("sampler", "times free space fell below the warning level"),
    ARCHIVE_PASSES_STARTED("archiver", "archival passes begun since start, empty ones included"),
    ARCHIVE_PASSES("archiver", "archival passes ended since start, empty and failed ones included"),
    REFUSED_SHADOW_LAG("publisher", "PLACE/RESTOCK/ADJUST refused: the shadow state at the shadow lag limit"),
    SHADOW_LAG_LIMIT("publisher", "most events the shadow state may be behind before refusals (0: no limit)"),
    SHADOW_LAG_MAX("snapshot", "largest shadow lag seen since start, events");

    /** Levels: sequences, gauges, maxima, minima, sizes and last-interval figures; the rest only ever grow. */
    private static final Set<EngineCounter> LEVELS = EnumSet.of(ORDER_CAPACITY, SKU_CAPACITY, RETENTION_MS,
        RING_FREE_MIN, RING_FREE, RING_CAPACITY, PUBLISHED,
        JOURNAL_SEQUENCE, JOURNAL_COMMITTED_SEQUENCE, JOURNAL_BATCH_MAX, JOURNAL_LAG,
        LOGIC_SEQUENCE, LOGIC_BATCH_MAX, LOGIC_LAG, SKUS, ORDERS,
        OUTCOME_SEQUENCE, OUTCOME_BATCH_MAX, OUTCOME_LAG, LATENCY_MAX_NS,
        SNAPSHOT_LAST_SEQUENCE, SNAPSHOT_LAST_HOLD_NS, SNAPSHOT_LAST_WRITE_NS, SNAPSHOT_LAST_BYTES,
        LATENCY_INTERVAL_NS, LATENCY_INTERVAL_COUNT, LATENCY_P50_NS, LATENCY_P99_NS, LATENCY_P999_NS,
        LATENCY_INTERVAL_MAX_NS, SNAPSHOT_HOLD_MAX_NS, SHADOW_SEQUENCE, SHADOW_LAG, ARCHIVED_CYCLES, ARCHIVED_BYTES,
        JOURNAL_DISK_BYTES, JOURNAL_DISK_BYTES_PER_COMMAND, JOURNAL_WRITE_BYTES_PER_DAY, DISK_FREE_BYTES,
        DISK_FREE_WARNING_BYTES, SHADOW_LAG_LIMIT, SHADOW_LAG_MAX);

    private final String owner;
    private final String description;

    EngineCounter(final String owner, final String description)
    {
        this.owner = owner;
        this.description = description;
    }

    /** @return the stage whose thread writes this counter. */
    public String owner()
    {
        return owner;
    }

    /** @return what the counter counts. */
    public String description()
    {
        return description;
    }

    /**
     * @return true for a level (a sequence, gauge, extreme, size or last-interval figure, whose
     *         rate means nothing); false for a count that only grows (show it as a rate).
     */
    public boolean isLevel()
    {
        return LEVELS.contains(this);
    }
}
