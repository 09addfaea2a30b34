package io.stockflow.engine.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an engine's counters file from another process, live or after the engine
 * died, without disturbing it: a read-only copy of the file's bytes, taken with
 * one positional read per call to {@link #read()}.
 */
public final class CountersReader
{
    private static final VarHandle LONGS =
        MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;

    /** @param file the counters file ({@link CountersLayout#FILE_NAME} in an engine directory). */
    public CountersReader(final Path file)
    {
        this.file = file;
    }

    /**
     * @return the counters as of now.
     * @throws NoSuchFileException      when there is no counters file (no engine ran here).
     * @throws IllegalArgumentException when the file is not a counters file or has an unknown version.
     */
    public Sample read() throws NoSuchFileException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final int length = (int)Math.min(channel.size(), 1 << 20);
            final ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0)
            {
                // Positional reads until the whole (small) file is copied.
            }
            if (length < CountersLayout.COUNTERS_OFFSET
                || (long)LONGS.get(buffer, CountersLayout.MAGIC_OFFSET) != CountersLayout.MAGIC)
            {
                throw new IllegalArgumentException(file + " is not a Stockflow counters file");
            }
            final long version = (long)LONGS.get(buffer, CountersLayout.VERSION_OFFSET);
            if (version != CountersLayout.VERSION)
            {
                throw new IllegalArgumentException(file + " has counters layout version " + version
                    + "; this stockflow reads version " + CountersLayout.VERSION);
            }
            final int count = (int)(long)LONGS.get(buffer, CountersLayout.COUNT_OFFSET);
            final EngineCounter[] known = EngineCounter.values();
            final long[] values = new long[known.length];
            for (int i = 0; i < Math.min(count, known.length); i++)
            {
                final int offset = CountersLayout.counterOffset(i);
                values[i] = offset + 8 <= length ? (long)LONGS.get(buffer, offset) : 0;
            }
            return new Sample(
                (long)LONGS.get(buffer, CountersLayout.PID_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.START_TIME_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.HEARTBEAT_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.CLOSED_OFFSET) == 1L,
                count,
                values);
        }
        catch (final NoSuchFileException e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read counters file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The counters at one moment, and who wrote them. */
    public static final class Sample
    {
        private final long pid;
        private final long startTimeMs;
        private final long heartbeatMs;
        private final boolean closedCleanly;
        private final int counterCount;
        private final long[] values;

        Sample(final long pid, final long startTimeMs, final long heartbeatMs, final boolean closedCleanly,
            final int counterCount, final long[] values)
        {
            this.pid = pid;
            this.startTimeMs = startTimeMs;
            this.heartbeatMs = heartbeatMs;
            this.closedCleanly = closedCleanly;
            this.counterCount = counterCount;
            this.values = values;
        }

        /**
         * @return how many counters the file holds: fewer than {@link EngineCounter#values()} when an
         *         older engine wrote it (the missing ones read as 0), more when a newer one did.
         */
        public int counterCount()
        {
            return counterCount;
        }

        /**
         * @param counter which.
         * @return true when the file holds it (see {@link #counterCount()}).
         */
        public boolean has(final EngineCounter counter)
        {
            return counter.ordinal() < counterCount;
        }

        /** @return the writing engine's process id. */
        public long pid()
        {
            return pid;
        }

        /** @return when that engine started, epoch ms. */
        public long startTimeMs()
        {
            return startTimeMs;
        }

        /** @return its last heartbeat, epoch ms. */
        public long heartbeatMs()
        {
            return heartbeatMs;
        }

        /** @return true when the engine closed cleanly. */
        public boolean closedCleanly()
        {
            return closedCleanly;
        }

        /** @return true when the writing process is still alive (same pid, still running). */
        public boolean writerAlive()
        {
            return !closedCleanly && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        /**
         * @param counter which.
         * @return its value.
         */
        public long get(final EngineCounter counter)
        {
            return values[counter.ordinal()];
        }
    }
}
