package io.stockflow.journal;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Journal#open(JournalConfig)} found at the end of the journal and what it removed.
 *
 * <p>A torn tail is the part of a record that a crashed writer had started but not finished:
 * Chronicle Queue leaves its document header at zero while the body is written, so such bytes are
 * invisible to readers but still on disk. Recovery zeroes them and reports them here.
 *
 * @param lastGoodSequence        sequence of the last whole, CRC-valid record (0 if none)
 * @param lastGoodEventTime       event time of that record (0 if none)
 * @param recordsVerified         records checked at open (every record of the newest cycle file)
 * @param discardedBytes          bytes of torn tail zeroed (0 if the tail was clean)
 * @param discardedFromSequence   first sequence lost with the torn tail, 0 if none was lost
 * @param discardedToSequence     last sequence lost with the torn tail, 0 if none was lost
 * @param file                    the file the torn tail was in, null if the tail was clean
 * @param position                byte offset of the torn tail in that file, -1 if clean
 * @param quarantinedFiles        cycle files moved aside, by their new names: files whose header a
 *                                crashed writer never completed (they hold no records), and files
 *                                whose unacknowledged tail a power cut damaged in an
 *                                {@code OS_CRASH} journal ({@code .power-cut-*}, replaced by a copy
 *                                of their records before the first lost page)
 */
public record TailRecoveryReport(long lastGoodSequence,
    long lastGoodEventTime,
    long recordsVerified,
    long discardedBytes,
    long discardedFromSequence,
    long discardedToSequence,
    File file,
    long position,
    List<Path> quarantinedFiles)
{

    /** Copies the list so the report is immutable. */
    public TailRecoveryReport
    {
        quarantinedFiles = List.copyOf(quarantinedFiles);
    }

    /** @return true if a torn tail was found and removed */
    public boolean tailWasTorn()
    {
        return discardedBytes > 0;
    }
}
