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
 * 128  counter i at 128 + i * 64 (each on its own cache line: one writing thread each)
 * </pre>
 */
public final class CountersLayout
{
    /** "SFCOUNT1" read as a little-endian long. */
    public static final long MAGIC = 0x31544E554F434653L;
    /** Layout version; a reader refuses any other. */
    public static final long VERSION = 1;

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
