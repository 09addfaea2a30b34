package io.stockflow.journal;

import java.io.File;

/**
 * A record failed its checks (length, format version, sequence continuity or CRC32C), or a reader
 * landed on a different record than it was sent to. Never skipped: the position is exact so an
 * operator can inspect the file.
 */
public final class JournalCorruptionException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final File file;
    private final long position;
    private final long sequence;
    private final long chronicleIndex;
    private final boolean readableUpToIt;

    /**
     * @param reason         what check failed
     * @param file           the journal file holding the record, or null if unknown
     * @param position       byte offset of the record's first byte in that file, or -1 if unknown
     * @param sequence       the sequence the record claims or was expected to have, or -1
     * @param chronicleIndex the Chronicle Queue index of the document, or -1
     */
    public JournalCorruptionException(String reason, File file, long position, long sequence, long chronicleIndex)
    {
        this(reason, file, position, sequence, chronicleIndex, null);
    }

    private JournalCorruptionException(String reason, File file, long position, long sequence, long chronicleIndex,
        Throwable cause)
    {
        this(reason, file, position, sequence, chronicleIndex, cause, true);
    }

    private JournalCorruptionException(String reason, File file, long position, long sequence, long chronicleIndex,
        Throwable cause, boolean readableUpToIt)
    {
        super(reason + " [file=" + file + ", position=" + position + ", sequence=" + sequence
            + ", chronicleIndex=0x" + Long.toHexString(chronicleIndex) + "]", cause);
        this.file = file;
        this.position = position;
        this.sequence = sequence;
        this.chronicleIndex = chronicleIndex;
        this.readableUpToIt = readableUpToIt;
    }

    /**
     * A fault found before any record is read, which stops every reader at open: salvage cannot
     * read the records before it in place, so the way forward is in the reason.
     *
     * @param reason   what is wrong and what to do
     * @param file     the file
     * @param position where it ends or the fault is
     * @return the exception
     */
    static JournalCorruptionException atOpen(String reason, File file, long position)
    {
        return new JournalCorruptionException(reason, file, position, -1, -1, null, false);
    }

    /**
     * @return true when a reader reaches the records before the fault, so {@code salvage} copies
     *         them; false when the fault stops every reader at open
     */
    public boolean readableUpToIt()
    {
        return readableUpToIt;
    }

    /**
     * A read of a memory-mapped journal file failed in the JVM: a page of the mapping has no file
     * block behind it any more (the file was truncated under the mapping), which the kernel signals
     * with SIGBUS and the JVM turns into an {@link InternalError} in its unsafe copy paths.
     *
     * @param file     the file being read, or null if unknown
     * @param position where reading stood in it, or -1 if unknown
     * @param cause    the JVM's error
     * @return the exception to throw instead of the bare error
     */
    static JournalCorruptionException mappedAccessFailed(File file, long position, InternalError cause)
    {
        return new JournalCorruptionException("a mapped read of the journal failed, the file is shorter than its"
            + " contents claim (truncated?): " + cause.getMessage(), file, position, -1, -1, cause);
    }

    /** @return the journal file holding the bad record, or null if unknown */
    public File file()
    {
        return file;
    }

    /** @return byte offset of the bad record's first byte in {@link #file()}, or -1 if unknown */
    public long position()
    {
        return position;
    }

    /** @return the sequence the record claims or was expected to have, or -1 if unknown */
    public long sequence()
    {
        return sequence;
    }

    /** @return the Chronicle Queue index of the bad document, or -1 if unknown */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }
}
