/**
 * The Stockflow journal: typed, versioned, CRC32C-framed byte records on Chronicle Queue, with one
 * writer per directory, crash-tail recovery, group commit at two durability levels and a
 * background pretoucher. It knows nothing of the records' meaning.
 *
 * <pre>
 *   journal stage thread                 background thread             any thread
 *   JournalAppender.append ──► Chronicle  Pretoucher: CAS 0→0 on pages   JournalReader.readNext
 *   JournalAppender.commit     queue      ahead of the write position;   (checks length, format,
 *   (fdatasync for OS_CRASH)   files      DiskSpaceGuard: statvfs        sequence, CRC32C)
 * </pre>
 *
 * <p>The record layout is defined once, in {@link io.stockflow.journal.RecordDescriptor}.
 */
package io.stockflow.journal;
