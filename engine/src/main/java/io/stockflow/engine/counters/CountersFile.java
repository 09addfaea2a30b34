package io.stockflow.engine.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's counters, kept in a small memory-mapped file in the engine
 * directory so another process ({@code stockflow stat}) reads them live, or after
 * a crash, without disturbing the engine (as Aeron's counters file is read by
 * AeronStat).
 *
 * <p>Each counter has exactly one writing thread (see {@link EngineCounter#owner()})
 * and its own cache line. Writes are release stores: no lock, no allocation, no
 * read-modify-write atomics. Readers use acquire loads.
 *
 * <p><b>Closing.</b> A mapped buffer stays mapped until the garbage collector
 * frees it, which would keep the file mapped long after the engine closed. So
 * closing unmaps it at once, in two steps that keep every access safe: first
 * {@link #detach()} moves the counters to a private copy (later writes and reads go
 * there, so a late caller sees the final values instead of unmapped memory), then
 * {@link #close()} waits until no {@link #get} that may still hold the mapped
 * buffer is running and unmaps it. Writers other than {@link #get} callers must
 * have stopped, or be known to have seen the detach, before {@code close()}: the
 * engine joins its stage threads and waits for its publisher to be idle.
 */
public final class CountersFile implements AutoCloseable
{
    private static final VarHandle LONGS =
        MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle READERS;
    private static final int COUNT = EngineCounter.values().length;

    static
    {
        try
        {
            READERS = MethodHandles.lookup().findVarHandle(CountersFile.class, "readers", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    private volatile ByteBuffer buffer;
    private volatile int readers;
    private boolean closed;

    private CountersFile(final ByteBuffer buffer, final MappedByteBuffer mapped, final FileChannel channel)
    {
        this.buffer = buffer;
        this.mapped = mapped;
        this.channel = channel;
    }

    /**
     * Creates (or overwrites) the counters file and stamps its header.
     *
     * @param file        the counters file.
     * @param startTimeMs when this engine started.
     * @return counters backed by the file.
     */
    public static CountersFile createFile(final Path file, final long startTimeMs)
    {
        try
        {
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            final int length = CountersLayout.fileLength(COUNT);
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            final CountersFile counters = new CountersFile(mapped, mapped, channel);
            counters.stampHeader(startTimeMs);
            return counters;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create counters file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return counters in memory only (replay tools, tests, benchmarks).
     */
    public static CountersFile inMemory()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CountersLayout.fileLength(COUNT));
        final CountersFile counters = new CountersFile(buffer, null, null);
        counters.stampHeader(System.currentTimeMillis());
        return counters;
    }

    private void stampHeader(final long startTimeMs)
    {
        final ByteBuffer buffer = this.buffer;
        LONGS.setRelease(buffer, CountersLayout.VERSION_OFFSET, CountersLayout.VERSION);
        LONGS.setRelease(buffer, CountersLayout.COUNT_OFFSET, (long)COUNT);
        LONGS.setRelease(buffer, CountersLayout.PID_OFFSET, ProcessHandle.current().pid());
        LONGS.setRelease(buffer, CountersLayout.START_TIME_OFFSET, startTimeMs);
        LONGS.setRelease(buffer, CountersLayout.HEARTBEAT_OFFSET, startTimeMs);
        LONGS.setRelease(buffer, CountersLayout.CLOSED_OFFSET, 0L);
        for (final EngineCounter counter : EngineCounter.values())
        {
            final byte[] label = counter.name().getBytes(StandardCharsets.US_ASCII);
            final int line = CountersLayout.counterOffset(counter.ordinal());
            buffer.put(line + CountersLayout.LABEL_LENGTH_OFFSET, (byte)label.length);
            buffer.put(line + CountersLayout.LABEL_OFFSET, label);
        }
        // Magic last: a reader that sees it sees a complete header and every label.
        LONGS.setRelease(buffer, CountersLayout.MAGIC_OFFSET, CountersLayout.MAGIC);
    }

    /**
     * Sets a counter. Only the counter's owning thread may call this.
     *
     * @param counter which.
     * @param value   its new value.
     */
    public void set(final EngineCounter counter, final long value)
    {
        LONGS.setRelease(buffer, CountersLayout.counterOffset(counter.ordinal()), value);
    }

    /**
     * Adds to a counter. Only the counter's owning thread may call this (plain
     * read, release write: single writer, so no atomic read-modify-write).
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void add(final EngineCounter counter, final long delta)
    {
        final int offset = CountersLayout.counterOffset(counter.ordinal());
        final ByteBuffer current = buffer;
        LONGS.setRelease(current, offset, (long)LONGS.get(current, offset) + delta);
    }

    /**
     * Raises a counter to {@code value} if it is larger (owning thread only).
     *
     * @param counter which.
     * @param value   candidate maximum.
     */
    public void max(final EngineCounter counter, final long value)
    {
        final int offset = CountersLayout.counterOffset(counter.ordinal());
        final ByteBuffer current = buffer;
        if (value > (long)LONGS.get(current, offset))
        {
            LONGS.setRelease(current, offset, value);
        }
    }

    /**
     * Lowers a counter to {@code value} if it is smaller (owning thread only).
     *
     * @param counter which.
     * @param value   candidate minimum.
     */
    public void min(final EngineCounter counter, final long value)
    {
        final int offset = CountersLayout.counterOffset(counter.ordinal());
        final ByteBuffer current = buffer;
        if (value < (long)LONGS.get(current, offset))
        {
            LONGS.setRelease(current, offset, value);
        }
    }

    /**
     * @param counter which.
     * @return its current value (acquire load; any thread).
     */
    public long get(final EngineCounter counter)
    {
        READERS.getAndAdd(this, 1);
        try
        {
            return (long)LONGS.getAcquire(buffer, CountersLayout.counterOffset(counter.ordinal()));
        }
        finally
        {
            READERS.getAndAdd(this, -1);
        }
    }

    /** @param nowMs refreshes the heartbeat so readers can tell a live engine from a dead one. */
    public void heartbeat(final long nowMs)
    {
        LONGS.setRelease(buffer, CountersLayout.HEARTBEAT_OFFSET, nowMs);
    }

    /** Marks a clean close, so a reader can tell it from a crash. */
    public void markClosed()
    {
        LONGS.setRelease(buffer, CountersLayout.CLOSED_OFFSET, 1L);
    }

    /**
     * Moves the counters to a private direct copy (heap buffers allow no atomic access on JDK 22+)
     * holding their current values; the file
     * keeps those values too. From the moment this returns every access that reads
     * the buffer afresh uses the copy. Idempotent.
     */
    public synchronized void detach()
    {
        final ByteBuffer current = buffer;
        if (current != mapped || mapped == null)
        {
            return;
        }
        final ByteBuffer copy = ByteBuffer.allocateDirect(current.capacity());
        for (int offset = 0; offset < current.capacity(); offset += Long.BYTES)
        {
            LONGS.set(copy, offset, (long)LONGS.getAcquire(current, offset));
        }
        buffer = copy;
    }

    /**
     * Detaches (if not done yet), closes the file and unmaps it as soon as no
     * {@link #get} may still be reading it (waiting at most a second, then leaving
     * the mapping to the garbage collector rather than risk a read of unmapped
     * memory). Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        detach();
        if (channel == null)
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final long deadline = System.nanoTime() + 1_000_000_000L;
        while ((int)READERS.getVolatile(this) != 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return;
            }
            LockSupport.parkNanos(10_000);
        }
        Unmapper.unmap(mapped);
    }

    /**
     * Unmaps a mapped buffer at once through {@code sun.misc.Unsafe#invokeCleaner}
     * (module {@code jdk.unsupported}, open to class-path code), looked up
     * reflectively so the build does not depend on it. Where it is unavailable the
     * buffer stays mapped until it is garbage collected.
     */
    private static final class Unmapper
    {
        private static final MethodHandle INVOKE_CLEANER = lookupInvokeCleaner();

        private static MethodHandle lookupInvokeCleaner()
        {
            try
            {
                final Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                final Field field = unsafeClass.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(field.get(null));
            }
            catch (final ReflectiveOperationException | RuntimeException e)
            {
                return null;
            }
        }

        static void unmap(final MappedByteBuffer buffer)
        {
            if (INVOKE_CLEANER == null)
            {
                return;
            }
            try
            {
                INVOKE_CLEANER.invokeExact((ByteBuffer)buffer);
            }
            catch (final Throwable e)
            {
                throw new IllegalStateException("cannot unmap the counters file: " + e, e);
            }
        }
    }
}
