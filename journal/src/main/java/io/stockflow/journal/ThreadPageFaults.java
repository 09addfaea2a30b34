package io.stockflow.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the calling thread's own minor page-fault count from
 * {@code /proc/thread-self/stat} (Linux), without allocating once open: the
 * direct measure of whether pretouch keeps page faults off the journal thread.
 *
 * <p>{@code /proc/thread-self} names the thread that opens it, so each instance
 * must be opened ({@link #openForCurrentThread()}) and read on the thread it
 * measures. A read is one positional system call: call it per batch or per
 * millisecond, not per record.
 */
public final class ThreadPageFaults implements AutoCloseable
{
    private static final int MINOR_FAULTS_FIELD = 10;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);

    private ThreadPageFaults(FileChannel channel)
    {
        this.channel = channel;
    }

    /**
     * @return a reader for the calling thread, or null where /proc is not available (not Linux)
     */
    public static ThreadPageFaults openForCurrentThread()
    {
        try
        {
            Path stat = Path.of("/proc/thread-self/stat").toRealPath();
            return new ThreadPageFaults(FileChannel.open(stat, StandardOpenOption.READ));
        }
        catch (IOException | RuntimeException e)
        {
            return null;
        }
    }

    /**
     * @return the thread's minor page faults so far, or -1 if the read failed
     */
    public long minorFaults()
    {
        buffer.clear();
        try
        {
            int read = channel.read(buffer, 0);
            if (read <= 0)
            {
                return -1;
            }
        }
        catch (IOException e)
        {
            return -1;
        }
        buffer.flip();
        int position = lastIndexOf(buffer, (byte)')');
        if (position < 0)
        {
            return -1;
        }
        // Fields after the command name: " state ppid ..." — field 3 is the state.
        int field = 2;
        long value = 0;
        boolean inNumber = false;
        for (int i = position + 1; i < buffer.limit(); i++)
        {
            byte b = buffer.get(i);
            if (b == ' ')
            {
                if (inNumber && field == MINOR_FAULTS_FIELD)
                {
                    return value;
                }
                field++;
                inNumber = false;
                value = 0;
            }
            else if (b >= '0' && b <= '9')
            {
                inNumber = true;
                value = value * 10 + (b - '0');
            }
        }
        return -1;
    }

    private static int lastIndexOf(ByteBuffer buffer, byte target)
    {
        for (int i = buffer.limit() - 1; i >= 0; i--)
        {
            if (buffer.get(i) == target)
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (IOException e)
        {
            // Closing a /proc file cannot lose data; nothing to report.
        }
    }
}
