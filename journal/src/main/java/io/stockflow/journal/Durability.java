package io.stockflow.journal;

/**
 * What a committed record survives, chosen once per journal.
 *
 * <p>The level decides what {@link JournalAppender#commit()} does at the end of each batch and
 * therefore what {@link JournalAppender#committedSequence()} promises.
 */
public enum Durability
{
    /**
     * A record is committed once it is written to the memory-mapped file, i.e. into the operating
     * system's page cache. It survives a crash or {@code kill -9} of the process, because the kernel
     * still owns the dirty pages and writes them back on its own; it does not survive a kernel
     * crash or power loss of the machine. {@code commit()} costs nothing but a volatile store.
     */
    PROCESS_CRASH,

    /**
     * A record is committed once the cycle file that holds it has been forced to the storage
     * device with {@code fdatasync} at the end of each batch (on Linux that writes back the pages
     * dirtied through the mapping: records, Chronicle's headers and index), with the directory entry
     * of a new cycle file forced before its first commit. It survives a kernel crash or power loss
     * as far as the device honours its flush; a failed force halts the journal and is never retried. {@code commit()} costs a
     * synchronous device write per batch (tens of microseconds on NVMe, milliseconds on
     * spinning or network disks), so group commit at the end of a Disruptor batch amortises it.
     */
    OS_CRASH
}
