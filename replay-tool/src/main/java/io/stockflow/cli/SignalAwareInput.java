package io.stockflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An input that may block indefinitely (standard input, a named pipe), read on its own daemon thread so
 * that {@code stockflow run} sees a signal while it waits for the next line.
 *
 * <p>Why: a thread blocked in a read of a terminal or an idle pipe cannot be woken by anything Java
 * offers (closing the stream or interrupting the thread does not end a native read), so {@code run}'s
 * loop never reached its check of the stop flag, and after the signal's grace the JVM exited without the
 * summary or the resume line. Here the reading thread blocks instead; {@link #read} waits for its next
 * chunk in short polls and, once a stop is requested, throws {@link StoppedWhileWaiting} rather than
 * wait on. A regular file never blocks and is read directly (see {@link RunCommand}).
 *
 * <p>Chunks travel in a fixed set of reused buffers, so the input allocates nothing per line.
 *
 * <p><b>Threading.</b> {@link #read} and {@link #close} belong to one consumer thread ({@code run}'s
 * feeding loop); the pump thread owns the source stream.
 */
final class SignalAwareInput extends InputStream
{
    /** How often a waiting read looks at the stop flag: well inside a person's patience for Ctrl-C. */
    private static final long POLL_MS = 50;
    private static final int CHUNK_BYTES = 1 << 16;
    private static final int CHUNKS = 4;

    /** Thrown by {@link #read} when a stop was requested while it waited for input. */
    static final class StoppedWhileWaiting extends IOException
    {
        private static final long serialVersionUID = 1L;

        StoppedWhileWaiting()
        {
            super("stopped while waiting for input", null);
        }
    }

    /** A filled buffer: {@code length} bytes, or -1 at the end of the input. */
    private static final class Chunk
    {
        final byte[] bytes = new byte[CHUNK_BYTES];
        int length;
        IOException failure;
    }

    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BooleanSupplier stopRequested;

    // Consumer thread only.
    private final byte[] one = new byte[1];
    private Chunk current;
    private int position;
    private boolean ended;

    /**
     * Starts the pump thread.
     *
     * @param source        the input; closed by the pump at its end
     * @param stopRequested true once a waiting read should give up
     */
    SignalAwareInput(final InputStream source, final BooleanSupplier stopRequested)
    {
        Objects.requireNonNull(source, "source");
        this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
        for (int i = 0; i < CHUNKS; i++)
        {
            free.add(new Chunk());
        }
        final Thread pump = new Thread(() -> pump(source), "stockflow-run-input");
        // A pump still blocked in a read when the run ends must not keep the JVM alive.
        pump.setDaemon(true);
        pump.start();
    }

    private void pump(final InputStream source)
    {
        try (source)
        {
            while (true)
            {
                final Chunk chunk = free.take();
                try
                {
                    chunk.length = source.read(chunk.bytes, 0, chunk.bytes.length);
                }
                catch (final IOException e)
                {
                    chunk.failure = e;
                    chunk.length = -1;
                }
                filled.put(chunk);
                if (chunk.length < 0)
                {
                    return;
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException closing)
        {
            // The input was read to its end; a failure to close it changes nothing already read.
        }
    }

    @Override
    public int read() throws IOException
    {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] into, final int offset, final int length) throws IOException
    {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0)
        {
            return 0;
        }
        if (ended)
        {
            return -1;
        }
        if (current == null)
        {
            current = next();
            position = 0;
            if (current.length < 0)
            {
                ended = true;
                if (current.failure != null)
                {
                    throw current.failure;
                }
                return -1;
            }
        }
        final int n = Math.min(length, current.length - position);
        System.arraycopy(current.bytes, position, into, offset, n);
        position += n;
        if (position == current.length)
        {
            free.add(current);
            current = null;
        }
        return n;
    }

    private Chunk next() throws IOException
    {
        try
        {
            while (true)
            {
                final Chunk chunk = filled.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (chunk != null)
                {
                    return chunk;
                }
                if (stopRequested.getAsBoolean())
                {
                    throw new StoppedWhileWaiting();
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StoppedWhileWaiting();
        }
    }

    /** Ends this input for its reader; a pump blocked in a read of the source stays blocked, as a daemon. */
    @Override
    public void close()
    {
        ended = true;
    }
}
