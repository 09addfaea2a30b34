package io.stockflow.journal;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A read-only reader opened on a journal that holds no cycle file yet: an empty journal, with no
 * Chronicle Queue built over it, until the writer creates its first cycle file; from then on the
 * reader it builds then answers every call.
 *
 * <p>Why wait: a read-only queue built over the metadata file alone, while another process's writer
 * holds the journal and has not written a cycle file yet, can keep that file mapped after it is closed
 * (13 of 38 tries of a test's open-and-close poll under load; never with the writer in the same process,
 * and never once a cycle file existed). And a metadata file whose first header the writer has not
 * written yet cannot be read by a read-only queue at all. A reader over no cycle file has no record to
 * read, so it needs neither.
 *
 * <p>Each call while the journal is still empty lists its directory once. The call that builds the queue's
 * reader also makes the open's checks, so it is the one that throws their refusals (a damaged metadata file,
 * a truncated cycle file). Used by one thread at a time, like every reader.
 */
final class DeferredQueueReader implements JournalReader
{
    private final Path directory;
    private final Supplier<ChronicleJournalReader> openOverCycleFiles;
    private ChronicleJournalReader queueReader;
    private boolean closed;

    /**
     * @param directory          the journal directory, without a cycle file when this reader was opened
     * @param openOverCycleFiles builds the queue's reader once a cycle file exists, with every check of an
     *                           open over cycle files
     */
    DeferredQueueReader(Path directory, Supplier<ChronicleJournalReader> openOverCycleFiles)
    {
        this.directory = directory;
        this.openOverCycleFiles = openOverCycleFiles;
    }

    @Override
    public boolean seekToSequence(long sequence)
    {
        ensureOpen();
        if (sequence < 1)
        {
            throw new IllegalArgumentException("sequence=" + sequence + ": sequences start at 1");
        }
        return queueBuilt() && queueReader.seekToSequence(sequence);
    }

    @Override
    public boolean seekToEventTime(long eventTimeMs)
    {
        return queueBuilt() && queueReader.seekToEventTime(eventTimeMs);
    }

    @Override
    public boolean readNext(JournalRecord into)
    {
        return queueBuilt() && queueReader.readNext(into);
    }

    @Override
    public long firstSequence()
    {
        return queueBuilt() ? queueReader.firstSequence() : -1;
    }

    @Override
    public long lastSequence()
    {
        return queueBuilt() ? queueReader.lastSequence() : 0;
    }

    /** @return true once the queue's reader is built, which this call does when a cycle file has appeared */
    private boolean queueBuilt()
    {
        ensureOpen();
        if (queueReader == null && Journal.cycleFilesIn(directory))
        {
            queueReader = openOverCycleFiles.get();
        }
        return queueReader != null;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("journal reader is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (queueReader != null)
        {
            queueReader.close();
        }
    }
}
