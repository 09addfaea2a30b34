package io.stockflow.engine.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            final int count = (int)Math.min((long)LONGS.get(buffer, CountersLayout.COUNT_OFFSET),
                (length - CountersLayout.COUNTERS_OFFSET) / CountersLayout.COUNTER_STRIDE);
            final String[] labels = new String[Math.max(0, count)];
            final long[] values = new long[labels.length];
            for (int i = 0; i < labels.length; i++)
            {
                final int line = CountersLayout.counterOffset(i);
                values[i] = (long)LONGS.get(buffer, line);
                final int labelLength = Math.min(buffer.get(line + CountersLayout.LABEL_LENGTH_OFFSET) & 0xFF,
                    CountersLayout.LABEL_MAX_LENGTH);
                final byte[] label = new byte[labelLength];
                buffer.get(line + CountersLayout.LABEL_OFFSET, label);
                labels[i] = new String(label, StandardCharsets.US_ASCII);
            }
            return new Sample(
                (long)LONGS.get(buffer, CountersLayout.PID_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.START_TIME_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.HEARTBEAT_OFFSET),
                (long)LONGS.get(buffer, CountersLayout.CLOSED_OFFSET) == 1L,
                labels,
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

    /**
     * The counters at one moment, and who wrote them. Counters are found by their
     * label, so a file written by another version of the engine reads correctly: a
     * counter it lacks reads as absent, one this version does not know is listed by
     * {@link #unknownLabels()}.
     */
    public static final class Sample
    {
        private final long pid;
        private final long startTimeMs;
        private final long heartbeatMs;
        private final boolean closedCleanly;
        private final String[] labels;
        private final long[] values;
        private final int[] slotOfKnown;

        Sample(final long pid, final long startTimeMs, final long heartbeatMs, final boolean closedCleanly,
            final String[] labels, final long[] values)
        {
            this.pid = pid;
            this.startTimeMs = startTimeMs;
            this.heartbeatMs = heartbeatMs;
            this.closedCleanly = closedCleanly;
            this.labels = labels;
            this.values = values;
            this.slotOfKnown = new int[EngineCounter.values().length];
            Arrays.fill(slotOfKnown, -1);
            final Map<String, EngineCounter> byName = new HashMap<>();
            for (final EngineCounter counter : EngineCounter.values())
            {
                byName.put(counter.name(), counter);
            }
            for (int slot = 0; slot < labels.length; slot++)
            {
                final EngineCounter counter = byName.get(labels[slot]);
                if (counter != null)
                {
                    slotOfKnown[counter.ordinal()] = slot;
                }
            }
        }

        /** @return how many counters the file holds. */
        public int counterCount()
        {
            return labels.length;
        }

        /**
         * @param counter which.
         * @return true when the file holds it (an engine of another version may not).
         */
        public boolean has(final EngineCounter counter)
        {
            return slotOfKnown[counter.ordinal()] >= 0;
        }

        /** @return the labels of the counters in the file that this version does not know, in file order. */
        public List<String> unknownLabels()
        {
            final List<String> unknown = new ArrayList<>();
            for (int slot = 0; slot < labels.length; slot++)
            {
                if (!isKnown(labels[slot]))
                {
                    unknown.add(labels[slot]);
                }
            }
            return unknown;
        }

        /**
         * @param label a label of the file ({@link #unknownLabels()}).
         * @return that counter's value, or 0 when the file has no such label.
         */
        public long valueOf(final String label)
        {
            for (int slot = 0; slot < labels.length; slot++)
            {
                if (labels[slot].equals(label))
                {
                    return values[slot];
                }
            }
            return 0;
        }

        private static boolean isKnown(final String label)
        {
            for (final EngineCounter counter : EngineCounter.values())
            {
                if (counter.name().equals(label))
                {
                    return true;
                }
            }
            return false;
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
         * @return its value; 0 when the file does not hold it.
         */
        public long get(final EngineCounter counter)
        {
            final int slot = slotOfKnown[counter.ordinal()];
            return slot < 0 ? 0 : values[slot];
        }
    }
}
