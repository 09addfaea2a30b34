package io.stockflow.engine.counters;

/**
 * The binary layout of the counters file, in one place (an Aeron-style
 * descriptor). All values little-endian longs.
 *
 * <pre>
 *   0  magic            "SFCOUNT1" as a long
 *   8  version          {@link #VERSION}
 *  16  counter count
 *  24  writer pid
 *  32  writer start time, epoch ms
 *  40  heartbeat, epoch ms (refreshed by the engine about once a second)
 *  48  closed flag      1 after a clean close
 * 128  counter i at 128 + i * 64 (each on its own cache line: one writing thread each):
 *        +0  value
 *        +8  label length, one byte (at most {@link #LABEL_MAX_LENGTH})
 *        +9  label, US-ASCII: the counter's name ({@code JOURNAL_RECORDS}), written once at creation
 * </pre>
 *
 * <p>The labels make the file describe itself, as Aeron's counters metadata does: a
 * reader finds each counter by its label, not its position, so {@code stat} of one
 * version reads the file of another and shows counters it does not know by name.
 */
public final class CountersLayout
{
    /** "SFCOUNT1" read as a little-endian long. */
    public static final long MAGIC = 0x31544E554F434653L;
    /** Layout version; a reader refuses any other. Version 2 added the labels. */
    public static final long VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int COUNT_OFFSET = 16;
    public static final int PID_OFFSET = 24;
    public static final int START_TIME_OFFSET = 32;
    public static final int HEARTBEAT_OFFSET = 40;
    public static final int CLOSED_OFFSET = 48;
    public static final int COUNTERS_OFFSET = 128;
    /** One cache line per counter so two writing threads never share a line. */
    public static final int COUNTER_STRIDE = 64;
    /** Within a counter's line: the label's length byte, then the label. */
    public static final int LABEL_LENGTH_OFFSET = 8;
    public static final int LABEL_OFFSET = 9;
    public static final int LABEL_MAX_LENGTH = COUNTER_STRIDE - LABEL_OFFSET;

    /** The counters file's name inside the engine directory. */
    public static final String FILE_NAME = "counters.dat";

    private CountersLayout()
    {
    }

    /**
     * @param counterIndex the counter's ordinal.
     * @return its byte offset.
     */
    public static int counterOffset(final int counterIndex)
    {
        return COUNTERS_OFFSET + counterIndex * COUNTER_STRIDE;
    }

    /**
     * @param counterCount how many counters.
     * @return the file length.
     */
    public static int fileLength(final int counterCount)
    {
        return counterOffset(counterCount);
    }
}
