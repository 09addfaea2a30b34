package io.stockflow.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * Everything a journal writer is configured with: immutable, built by {@link #builder(Path)} and
 * validated once in {@link Builder#build()}, which reports every bad field as
 * {@code field=value: why}.
 */
public final class JournalConfig
{
    /** Default pretouch window: 16 MiB, a quarter of Chronicle's default 64 MiB mapping chunk. */
    public static final long DEFAULT_PRETOUCH_AHEAD_BYTES = 16L << 20;
    /** Largest pretouch window: half a mapping chunk, so touched pages stay mapped for the writer. */
    public static final long MAX_PRETOUCH_AHEAD_BYTES = 32L << 20;
    /** Default free-space floor below which appends are refused: 64 MiB. */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 64L << 20;
    /** Default period of the free-space check: 50 ms. */
    public static final long DEFAULT_DISK_CHECK_INTERVAL_MILLIS = 50;

    private final Path directory;
    private final JournalRollCycle rollCycle;
    private final Durability durability;
    private final boolean pretouch;
    private final long pretouchAheadBytes;
    private final long minFreeDiskBytes;
    private final long diskCheckIntervalMillis;
    private final TimeProvider timeProvider;
    private final ThreadFactory backgroundThreadFactory;

    private JournalConfig(Builder builder)
    {
        this.directory = builder.directory.toAbsolutePath().normalize();
        this.rollCycle = builder.rollCycle;
        this.durability = builder.durability;
        this.pretouch = builder.pretouch;
        this.pretouchAheadBytes = builder.pretouchAheadBytes;
        this.minFreeDiskBytes = builder.minFreeDiskBytes;
        this.diskCheckIntervalMillis = builder.diskCheckIntervalMillis;
        this.timeProvider = builder.timeProvider;
        this.backgroundThreadFactory = builder.backgroundThreadFactory;
    }

    /**
     * @param directory the journal directory; created by {@link Journal#open} if absent
     * @return a builder with the defaults documented on each setter
     */
    public static Builder builder(Path directory)
    {
        return new Builder(directory);
    }

    /** @return the absolute, normalised journal directory */
    public Path directory()
    {
        return directory;
    }

    /** @return how often a new file is started */
    public JournalRollCycle rollCycle()
    {
        return rollCycle;
    }

    /** @return what a committed record survives */
    public Durability durability()
    {
        return durability;
    }

    /** @return whether the background pretoucher runs */
    public boolean pretouch()
    {
        return pretouch;
    }

    /** @return bytes kept faulted-in ahead of the write position */
    public long pretouchAheadBytes()
    {
        return pretouchAheadBytes;
    }

    /** @return free-space floor below which appends are refused */
    public long minFreeDiskBytes()
    {
        return minFreeDiskBytes;
    }

    /** @return period of the background free-space check */
    public long diskCheckIntervalMillis()
    {
        return diskCheckIntervalMillis;
    }

    /** @return the clock that decides the roll cycle (wall clock unless set for tests) */
    public TimeProvider timeProvider()
    {
        return timeProvider;
    }

    /** @return the factory of the journal's one background thread (pretouch and disk check) */
    public ThreadFactory backgroundThreadFactory()
    {
        return backgroundThreadFactory;
    }

    @Override
    public String toString()
    {
        return "JournalConfig{directory=" + directory + ", rollCycle=" + rollCycle + ", durability=" + durability
            + ", pretouch=" + pretouch + ", pretouchAheadBytes=" + pretouchAheadBytes
            + ", minFreeDiskBytes=" + minFreeDiskBytes + ", diskCheckIntervalMillis=" + diskCheckIntervalMillis + '}';
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder
    {
        private final Path directory;
        private JournalRollCycle rollCycle = JournalRollCycle.HOURLY;
        private Durability durability = Durability.PROCESS_CRASH;
        private boolean pretouch = true;
        private long pretouchAheadBytes = DEFAULT_PRETOUCH_AHEAD_BYTES;
        private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
        private long diskCheckIntervalMillis = DEFAULT_DISK_CHECK_INTERVAL_MILLIS;
        private TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
        private ThreadFactory backgroundThreadFactory;

        private Builder(Path directory)
        {
            this.directory = directory;
        }

        /** @param rollCycle file roll cycle, default {@link JournalRollCycle#HOURLY} @return this */
        public Builder rollCycle(JournalRollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        /** @param durability durability level, default {@link Durability#PROCESS_CRASH} @return this */
        public Builder durability(Durability durability)
        {
            this.durability = durability;
            return this;
        }

        /** @param pretouch run the background pretoucher, default true @return this */
        public Builder pretouch(boolean pretouch)
        {
            this.pretouch = pretouch;
            return this;
        }

        /**
         * @param pretouchAheadBytes window kept faulted-in ahead of the writer, default 16 MiB, from
         *                           one 4 KiB page up to {@link #MAX_PRETOUCH_AHEAD_BYTES}
         * @return this
         */
        public Builder pretouchAheadBytes(long pretouchAheadBytes)
        {
            this.pretouchAheadBytes = pretouchAheadBytes;
            return this;
        }

        /** @param minFreeDiskBytes refuse appends below this much usable space, default 64 MiB @return this */
        public Builder minFreeDiskBytes(long minFreeDiskBytes)
        {
            this.minFreeDiskBytes = minFreeDiskBytes;
            return this;
        }

        /** @param diskCheckIntervalMillis period of the free-space check, default 50 ms @return this */
        public Builder diskCheckIntervalMillis(long diskCheckIntervalMillis)
        {
            this.diskCheckIntervalMillis = diskCheckIntervalMillis;
            return this;
        }

        /** @param timeProvider clock deciding the roll cycle, default the system clock @return this */
        public Builder timeProvider(TimeProvider timeProvider)
        {
            this.timeProvider = timeProvider;
            return this;
        }

        /**
         * @param epochMillis clock in epoch milliseconds deciding the roll cycle (for tests)
         * @return this
         */
        public Builder timeProvider(LongSupplier epochMillis)
        {
            Objects.requireNonNull(epochMillis, "epochMillis");
            this.timeProvider = epochMillis::getAsLong;
            return this;
        }

        /**
         * @param threadFactory creates the background thread; default a daemon thread named
         *                      {@code stockflow-journal-pretouch}. Lets the affinity module pin it.
         * @return this
         */
        public Builder backgroundThreadFactory(ThreadFactory threadFactory)
        {
            this.backgroundThreadFactory = threadFactory;
            return this;
        }

        /**
         * Validates every field at once.
         *
         * @return the immutable configuration
         * @throws IllegalArgumentException listing each bad field as {@code field=value: why}
         */
        public JournalConfig build()
        {
            List<String> problems = new ArrayList<>();
            if (directory == null)
            {
                problems.add("directory=null: required");
            }
            if (rollCycle == null)
            {
                problems.add("rollCycle=null: required");
            }
            if (durability == null)
            {
                problems.add("durability=null: required");
            }
            if (pretouchAheadBytes < 4096 || pretouchAheadBytes > MAX_PRETOUCH_AHEAD_BYTES)
            {
                problems.add("pretouchAheadBytes=" + pretouchAheadBytes + ": must be between 4096 and "
                    + MAX_PRETOUCH_AHEAD_BYTES + " (half a mapping chunk)");
            }
            if (minFreeDiskBytes < 0)
            {
                problems.add("minFreeDiskBytes=" + minFreeDiskBytes + ": must not be negative");
            }
            if (diskCheckIntervalMillis < 1 || diskCheckIntervalMillis > 10_000)
            {
                problems.add("diskCheckIntervalMillis=" + diskCheckIntervalMillis + ": must be between 1 and 10000");
            }
            if (timeProvider == null)
            {
                problems.add("timeProvider=null: required");
            }
            if (!problems.isEmpty())
            {
                throw new IllegalArgumentException("invalid journal configuration: " + String.join("; ", problems));
            }
            return new JournalConfig(this);
        }
    }
}
