package io.stockflow.engine.counters;

/**
 * Every counter the engine keeps, with the thread that writes it. The ordinal
 * is the counter's slot in the counters file ({@link CountersLayout}); append
 * new counters at the end and bump {@link CountersLayout#VERSION} if one is
 * removed or reordered.
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
    JOURNAL_BATCH_MAX("journal", "largest batch"),
    JOURNAL_LAG("journal", "events behind the ring cursor at the last batch start"),
    JOURNAL_MINOR_FAULTS("journal", "minor page faults taken by the journal thread"),
    JOURNAL_PRETOUCHED_PAGES("journal", "pages pretouched ahead of the writer"),

    LOGIC_SEQUENCE("logic", "last sequence applied"),
    LOGIC_BATCHES("logic", "batches"),
    LOGIC_BATCH_MAX("logic", "largest batch"),
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
    SNAPSHOT_LAST_HOLD_NS("snapshot", "logic stage held up by the last snapshot copy, ns"),
    SNAPSHOT_LAST_WRITE_NS("snapshot", "time to write the last snapshot, ns"),
    SNAPSHOT_LAST_BYTES("snapshot", "size of the last snapshot, bytes"),
    SNAPSHOT_FAILURES("snapshot", "snapshot writes that failed");

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
}
