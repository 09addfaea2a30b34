package io.stockflow.journal.internal;

import io.stockflow.journal.JournalException;
import io.stockflow.journal.JournalLockedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-writer lock of a journal directory: an OS file lock on {@code writer.lock}, holding
 * the owner's pid as text so a refused writer can name it.
 *
 * <p>Writers in this JVM are tracked in a static map first, because POSIX releases every lock a
 * process holds on a file as soon as the process closes any descriptor of that file: probing the
 * lock file a second time from the same process would silently drop the first writer's lock.
 */
public final class WriterLock implements AutoCloseable
{
    /** Name of the lock file inside the journal directory. */
    public static final String FILE_NAME = "writer.lock";

    private static final Map<Path, Long> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private WriterLock(Path directory, FileChannel channel, FileLock lock)
    {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once; never waits.
     *
     * @param directory an existing journal directory (absolute, normalised)
     * @return the held lock
     * @throws JournalLockedException if another writer holds it
     */
    public static WriterLock acquire(Path directory)
    {
        long pid = ProcessHandle.current().pid();
        Long previous = HELD_IN_THIS_JVM.putIfAbsent(directory, pid);
        if (previous != null)
        {
            throw new JournalLockedException(directory, previous);
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(directory.resolve(FILE_NAME),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null)
            {
                long holder = readPid(channel);
                channel.close();
                throw new JournalLockedException(directory, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new WriterLock(directory, channel, lock);
        }
        catch (IOException e)
        {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(directory);
            throw new JournalException("cannot lock journal directory " + directory + ": " + e.getMessage(), e);
        }
        catch (RuntimeException e)
        {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(directory);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (OverlappingFileLockException e)
        {
            return null;
        }
    }

    private static long readPid(FileChannel channel) throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        try
        {
            return Long.parseLong(text);
        }
        catch (NumberFormatException e)
        {
            return -1;
        }
    }

    private static void closeQuietly(FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (IOException ignored)
            {
                // the original failure is the one worth reporting
            }
        }
    }

    /** @return the locked directory */
    public Path directory()
    {
        return directory;
    }

    /** Releases the lock; idempotent. The lock file stays, holding the last writer's pid. */
    @Override
    public void close()
    {
        if (released)
        {
            return;
        }
        released = true;
        try
        {
            lock.release();
            channel.close();
        }
        catch (IOException e)
        {
            throw new JournalException("cannot release the writer lock of " + directory, e);
        }
        finally
        {
            HELD_IN_THIS_JVM.remove(directory);
        }
    }
}
