package io.stockflow.cli.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A line of tens of megabytes, generated lazily and never held anywhere, is refused
 * at its line number after reading little more than the limit, with memory bounded
 * by the limit rather than by the line.
 */
class OversizedLineTest
{
    private static final long TWENTY_MB = 20L * 1000 * 1000;
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseATwentyMegabyteLineAtItsLineNumberWithBoundedMemory() throws Exception
    {
        final LazyLinesInputStream input = new LazyLinesInputStream(
            "{\"type\":\"SHIP\",\"order\":1}\n\n", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1,\"pad\":\"", TWENTY_MB,
            "\"}\n{\"type\":\"SHIP\",\"order\":2}\n");
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(input);
        final ParsedCommand command = new ParsedCommand();
        final long allocatedBefore = threadAllocatedBytes();

        assertTrue(reader.next(command));
        final CommandFormatException ex = assertThrows(CommandFormatException.class, () -> reader.next(command));
        final long allocated = threadAllocatedBytes() - allocatedBefore;

        assertEquals(3, ex.lineNumber());
        assertEquals("line 3: line longer than 1048576 bytes", ex.getMessage());
        assertTrue(input.bytesServed() < JsonLinesCommandReader.DEFAULT_MAX_LINE_BYTES + 2L * READ_CHUNK_BYTES,
            "read only up to the limit, not the whole line: " + input.bytesServed());
        if (allocatedBefore >= 0)
        {
            assertTrue(allocated < 8L * 1024 * 1024, "allocated " + allocated + " bytes for a 20 MB line");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseALineThatNeverEnds()
    {
        final LazyLinesInputStream input = new LazyLinesInputStream("", "{", Long.MAX_VALUE / 2, "");
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(input, 4096);

        final CommandFormatException ex =
            assertThrows(CommandFormatException.class, () -> reader.next(new ParsedCommand()));

        assertEquals(1, ex.lineNumber());
        assertEquals("line longer than 4096 bytes", ex.reason());
    }

    /** @return bytes allocated so far by this thread, or -1 where the JVM cannot tell. */
    private static long threadAllocatedBytes()
    {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean)
        {
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            if (threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
            {
                return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }

    /**
     * Serves a prefix, then {@code padBytes} of {@code 'a'} after a head, then a tail:
     * computed on each read, never materialised.
     */
    private static final class LazyLinesInputStream extends InputStream
    {
        private final byte[] prefix;
        private final byte[] head;
        private final long padBytes;
        private final byte[] tail;
        private final long total;
        private long position;

        LazyLinesInputStream(final String prefix, final String head, final long padBytes, final String tail)
        {
            this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
            this.head = head.getBytes(StandardCharsets.US_ASCII);
            this.padBytes = padBytes;
            this.tail = tail.getBytes(StandardCharsets.US_ASCII);
            this.total = this.prefix.length + this.head.length + padBytes + this.tail.length;
        }

        long bytesServed()
        {
            return position;
        }

        @Override
        public int read()
        {
            if (position >= total)
            {
                return -1;
            }
            return byteAt(position++) & 0xFF;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length)
        {
            if (length == 0)
            {
                return 0;
            }
            if (position >= total)
            {
                return -1;
            }
            final int count = (int)Math.min(length, total - position);
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = byteAt(position + i);
            }
            position += count;
            return count;
        }

        private byte byteAt(final long index)
        {
            long at = index;
            if (at < prefix.length)
            {
                return prefix[(int)at];
            }
            at -= prefix.length;
            if (at < head.length)
            {
                return head[(int)at];
            }
            at -= head.length;
            if (at < padBytes)
            {
                return 'a';
            }
            return tail[(int)(at - padBytes)];
        }
    }
}
