package io.stockflow.journal.internal;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a window of pages ahead of the writer faulted in, so the writer does not take the page
 * faults of fresh file pages itself (Chronicle Queue's own pretoucher is an Enterprise feature).
 *
 * <p><b>How it reaches the writer's page tables.</b> Within one queue, every store of a cycle is
 * backed by one cached {@code MappedFile}, whose chunk mappings are shared by every
 * {@code MappedBytes} over it. The pretoucher acquires the cycle's store from the writer's own
 * queue ({@link SingleChronicleQueue#storeForCycle}) and touches through a {@code MappedBytes} of
 * that store, so it faults in the very virtual addresses the writer will write to. Because it holds
 * a reference on the chunk it is touching, the chunk stays mapped until the writer acquires it.
 *
 * <p><b>Why touching can never change data.</b> Each touch is {@code compareAndSwapInt(p, 0, 0)} at
 * the first int of a 4 KiB page beyond the writer's position: a write access (so the kernel
 * allocates and maps a writable page) that stores nothing new. If the writer already wrote a
 * non-zero value there, the CAS fails and leaves it; if the int is zero, zero is written back
 * atomically, and a concurrent writer's store to the same cache line is ordered before or after it,
 * never lost.
 *
 * <p><b>Roll-overs.</b> Shortly before the cycle ends (a quarter of the cycle, at most five seconds)
 * it creates the next cycle's file through the queue, as the writer would at its first append, and
 * warms the start of it. Readers do not move to a new cycle before the writer has written the end
 * of file marker into the old one, so an early empty file is invisible to them while the writer is
 * still in the old cycle. If the writer then appends nothing in the early file's cycle, that file is
 * left empty and without an end-of-file marker, and Chronicle's tailers would stop at it for good:
 * the journal's appender marks its end after its next roll, and the next open marks every cycle
 * before the current one, so the early file never hides later records.
 *
 * <p>Under {@code OS_CRASH} it also forces the early file, Chronicle's table store and the
 * directory ({@link CycleFilesAhead}), so the writer's first commit after the roll-over does not
 * wait for a directory {@code fsync}.
 *
 * <p><b>Caveats.</b> The window is capped at half a Chronicle mapping chunk (64 MiB by default): a
 * chunk touched but released before the writer reaches it would be unmapped, and the writer would
 * map it afresh with minor faults. Before each touch the pretoucher checks free space, so it never
 * allocates file blocks the disk guard would not allow.
 *
 * <p>Owned by the journal's background thread, except for the warm-up at open, which runs on the
 * opening thread before the background thread starts.
 */
public final class Pretoucher implements AutoCloseable
{
    private static final int MAX_PAGES_PER_CALL = 1024;
    private static final long MAX_PREROLL_MILLIS = 5_000;
    /** Windows the guard's cached figure may be behind by: both windows, and as much again. */
    private static final long STALE_MARGIN_WINDOWS = 4;
    /** How long the pretoucher waits before it reads the free space again after finding no room. */
    private static final long NO_ROOM_RECHECK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SingleChronicleQueue queue;
    private final TimeProvider timeProvider;
    private final DiskSpaceGuard diskSpaceGuard;
    private final long aheadBytes;
    // Background thread only: until when a refresh found no room above the floor.
    private long noRoomUntilNs = System.nanoTime();
    private final long pageSize;
    private final long cycleLengthMillis;
    private final long prerollMillis;
    private final CycleFilesAhead ahead;

    private final CycleWindow current = new CycleWindow();
    private final CycleWindow next = new CycleWindow();
    private volatile long pagesTouched;
    /** Set by {@link #retouch()} from another thread, cleared by the background thread. */
    private volatile boolean retouchRequested;

    /**
     * @param queue          the writer's queue
     * @param timeProvider   the clock that decides the writer's cycle
     * @param diskSpaceGuard consulted before every touch
     * @param aheadBytes     window kept faulted-in ahead of the write position
     * @param ahead          forces each next cycle file it creates and its directory entry, null
     *                       unless the journal is {@code OS_CRASH}
     */
    public Pretoucher(SingleChronicleQueue queue, TimeProvider timeProvider, DiskSpaceGuard diskSpaceGuard,
        long aheadBytes, CycleFilesAhead ahead)
    {
        this.ahead = ahead;
        this.queue = queue;
        this.timeProvider = timeProvider;
        this.diskSpaceGuard = diskSpaceGuard;
        this.aheadBytes = aheadBytes;
        this.pageSize = OS.pageSize();
        this.cycleLengthMillis = queue.rollCycle().lengthInMillis();
        this.prerollMillis = Math.min(cycleLengthMillis / 4, MAX_PREROLL_MILLIS);
    }

    /**
     * Warms the writer's next pages before the first append: runs {@link #doWork()} until the
     * window is complete.
     */
    public void warmUp()
    {
        while (doWork() > 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * One step of the background loop: follow the writer's cycle, extend the window ahead of its
     * write position, and near the end of the cycle warm the next cycle's file.
     *
     * @return pages touched by this call; 0 means idle
     */
    public int doWork()
    {
        if (!diskSpaceGuard.writable())
        {
            // Below the floor nothing is written, and a new cycle file's first write into a full file
            // system would fault (SIGBUS) in the mapping: wait for space like the appender does.
            return 0;
        }
        if (retouchRequested)
        {
            retouchRequested = false;
            current.touchedUpTo = 0;
            next.touchedUpTo = 0;
        }
        int cycle = queue.cycle();
        if (cycle != current.cycle)
        {
            current.release(queue);
            if (next.cycle == cycle)
            {
                current.takeOver(next);
            }
            else
            {
                next.release(queue);
                current.acquire(queue, cycle);
            }
        }
        int touched = touchAhead(current);
        long nextCycleStartMillis = (cycle + 1L) * cycleLengthMillis + queue.epoch();
        if (nextCycleStartMillis - timeProvider.currentTimeMillis() <= prerollMillis)
        {
            if (next.cycle != cycle + 1)
            {
                next.release(queue);
                next.acquire(queue, cycle + 1);
                if (ahead != null)
                {
                    ahead.makeDurable(cycle + 1, next.store.file());
                }
            }
            touched += touchAhead(next);
        }
        return touched;
    }

    private int touchAhead(CycleWindow window)
    {
        long writePosition = window.store.writePosition();
        long firstPage = Math.max(window.touchedUpTo, (writePosition / pageSize + 1) * pageSize);
        long end = writePosition + aheadBytes;
        if (firstPage >= end)
        {
            return 0;
        }
        long pages = Math.min(MAX_PAGES_PER_CALL, (end - firstPage + pageSize - 1) / pageSize);
        if (!roomToTouch(pages))
        {
            return 0;
        }
        MappedBytes view = window.view;
        long position = firstPage;
        for (long i = 0; i < pages; i++, position += pageSize)
        {
            view.compareAndSwapInt(position, 0, 0);
        }
        window.touchedUpTo = position;
        pagesTouched += pages;
        return (int)pages;
    }

    /*
     * One window's worth of space above the floor is left to the writer: the pages touched here are
     * taken from the file system at once, and a pretoucher that touched down to the floor (the next
     * cycle's window too, before a roll) left the writer's own next page to halt the journal. The
     * guard's figure may predate up to two windows touched since its last refresh, so near the floor
     * it is read afresh (a statfs), at most once per recheck interval while there is no room.
     */
    private boolean roomToTouch(long pages)
    {
        long needed = diskSpaceGuard.minFreeDiskBytes() + aheadBytes + pages * pageSize;
        long usable = diskSpaceGuard.usableBytes();
        if (usable >= needed + STALE_MARGIN_WINDOWS * aheadBytes)
        {
            return true;
        }
        long now = System.nanoTime();
        if (now - noRoomUntilNs < 0)
        {
            return false;
        }
        if (diskSpaceGuard.refresh() >= needed)
        {
            return true;
        }
        noRoomUntilNs = now + NO_ROOM_RECHECK_NS;
        return false;
    }

    /**
     * Asks the background thread to touch its whole window again. Forcing a cycle file writes its
     * dirty pages back and write-protects them, the pages touched ahead of the writer included, so
     * the writer would take the next write fault on each; touching them again takes it here. Any
     * thread, after a force ({@code Journal.forceWritten}).
     */
    public void retouch()
    {
        retouchRequested = true;
    }

    /** @return pages touched since open; read from any thread */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /** Releases the stores held for touching; called after the background thread has stopped. */
    @Override
    public void close()
    {
        current.release(queue);
        next.release(queue);
    }

    /** The store of one cycle and the touch position in it. */
    private static final class CycleWindow
    {
        private int cycle = Integer.MIN_VALUE;
        private SingleChronicleQueueStore store;
        private MappedBytes view;
        private long touchedUpTo;

        void acquire(SingleChronicleQueue queue, int newCycle)
        {
            store = queue.storeForCycle(newCycle, queue.epoch(), true, null);
            view = store.bytes();
            cycle = newCycle;
            touchedUpTo = 0;
        }

        void takeOver(CycleWindow other)
        {
            cycle = other.cycle;
            store = other.store;
            view = other.view;
            touchedUpTo = other.touchedUpTo;
            other.cycle = Integer.MIN_VALUE;
            other.store = null;
            other.view = null;
            other.touchedUpTo = 0;
        }

        void release(SingleChronicleQueue queue)
        {
            if (view != null)
            {
                view.releaseLast();
                view = null;
            }
            if (store != null)
            {
                queue.closeStore(store);
                store = null;
            }
            cycle = Integer.MIN_VALUE;
            touchedUpTo = 0;
        }
    }
}
