package io.stockflow.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.wire.WireType;

import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the first header of a journal directory's Chronicle Queue metadata file before a queue is
 * built over it. Chronicle Queue takes any failure to read that header for a lock held by another
 * process and retries for its table store timeout (10 s) before failing with a lock error; a
 * damaged file then costs every command that long and names the wrong cause.
 */
final class QueueMetadataCheck
{
    /** Chronicle Wire's flag on a header still being written. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** The header word and the longest first header Chronicle Wire reads (real files: 152 bytes). */
    private static final int HEAD_BYTES = Integer.BYTES + (1 << 16);
    /** A header still being written is one a writer creating the file has not finished yet. */
    private static final long NOT_COMPLETE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long NOT_COMPLETE_RECHECK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private QueueMetadataCheck()
    {
    }

    /**
     * The check before a writer builds a queue, and before a reader waits for a journal's first cycle
     * file. A file whose first header is not written yet, in a directory without cycle files, is a
     * writer's that stopped while creating it, or is still creating it: Chronicle Queue's writer writes
     * the header. Beside cycle files it is damage.
     *
     * @param directory a journal directory
     * @throws JournalMetadataDamagedException when its metadata file exists and its first header cannot be
     *                                         read, or is not written beside cycle files
     */
    static void requireIntact(Path directory)
    {
        if (!check(directory, false))
        {
            refuseBesideCycleFiles(directory);
        }
    }

    /**
     * The check before a read-only queue is built. A read-only queue cannot write the first header:
     * over a file without one, Chronicle Queue retries for its table store timeout (10 s), fails
     * with a lock error and keeps the file mapped. This waits a little for a writer creating the
     * file to finish, then refuses with the real cause.
     *
     * @param directory a journal directory
     * @throws JournalMetadataDamagedException when its metadata file exists and its first header cannot be read
     * @throws JournalNotFoundException        when the file's first header is still not written
     */
    static void requireReadable(Path directory)
    {
        if (!check(directory, true))
        {
            refuseBesideCycleFiles(directory);
            throw new JournalNotFoundException("no journal at " + directory + " yet: its queue metadata file "
                + Journal.TABLE_STORE_FILE + " has no header. A writer is creating it, or one stopped before it wrote"
                + " it; opening the journal for writing (stockflow run) writes it");
        }
    }

    private static void refuseBesideCycleFiles(Path directory)
    {
        if (Journal.cycleFilesIn(directory))
        {
            throw new JournalMetadataDamagedException(directory.resolve(Journal.TABLE_STORE_FILE),
                "its first header is not written (all zero bytes, or a file cut short), beside cycle files");
        }
    }

    private static boolean check(Path directory, boolean waitForFirstHeader)
    {
        Path file = directory.resolve(Journal.TABLE_STORE_FILE);
        long deadline = System.nanoTime() + NOT_COMPLETE_WAIT_NS;
        while (true)
        {
            byte[] head = readHead(file);
            if (head == null)
            {
                // Missing: Chronicle Queue makes it, or the reader reports the journal missing.
                return true;
            }
            // Shorter than Chronicle's first mapping, the file is not written yet (a writer maps it whole before
            // it writes the header). Chronicle's read-only open would wait a second for it, then go on without
            // it, at every open.
            int header = head.length < OS.mapAlignment() ? 0
                : ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            boolean writing = header == 0 ? waitForFirstHeader : (header & NOT_COMPLETE) != 0;
            if (writing && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(NOT_COMPLETE_RECHECK_NS);
                continue;
            }
            if (header == 0)
            {
                return false;
            }
            try
            {
                WireType.BINARY_LIGHT.apply(Bytes.wrapForRead(head)).readFirstHeader();
                return true;
            }
            catch (StreamCorruptedException | RuntimeException unreadable)
            {
                throw new JournalMetadataDamagedException(file, unreadable.getMessage() == null
                    ? unreadable.getClass().getSimpleName() : unreadable.getMessage());
            }
        }
    }

    private static byte[] readHead(Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return in.readNBytes(HEAD_BYTES);
        }
        catch (NoSuchFileException missing)
        {
            return null;
        }
        catch (IOException e)
        {
            throw new JournalException("cannot read the queue metadata file " + file + ": " + e.getMessage(), e);
        }
    }
}
