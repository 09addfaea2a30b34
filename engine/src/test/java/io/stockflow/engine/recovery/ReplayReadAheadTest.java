package io.stockflow.engine.recovery;

import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The replayer reads records ahead of the rules in batches (to overlap the cache misses of
 * their orders): it must still apply exactly what a reader of one record at a time applied.
 * It stops at a sequence bound without reading the record after it, stops at a time bound
 * without throwing a failure of a read past it, applies every record read before a failed
 * read and then throws that failure, and in follow mode keeps a record past the bound for a
 * later call. Batches are sixteen records; the journal here holds a hundred, and the places
 * checked sit on and around the batch edges.
 */
class ReplayReadAheadTest
{
    private static final int RECORDS = 100;
    private static final long TIME_STEP = 10;
    /** A replay from the start first reads the journal's first record, looking for a parameters record. */
    private static final int FIRST_RECORD_READS = 1;

    @TempDir
    Path directory;

    /** The state hash after each sequence, from the rules applied one command at a time. */
    private final long[] hashAfter = new long[RECORDS + 1];

    @BeforeEach
    void writeJournal()
    {
        final FulfillmentRules reference = new FulfillmentRules(ExpiryListener.NONE);
        hashAfter[0] = reference.view().stateHash();
        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        try (Journal journal = Journal.open(JournalConfig.builder(directory).pretouch(false).build()))
        {
            final JournalAppender appender = journal.appender();
            for (int sequence = 1; sequence <= RECORDS; sequence++)
            {
                final int length = encode(sequence, buffer);
                final long time = sequence * TIME_STEP;
                appender.append(time, CommandCodec.typeOf(buffer, 0).code(), CommandCodec.SCHEMA_VERSION, buffer, 0,
                    length);
                reference.apply(time, view.wrap(buffer, 0, length));
                hashAfter[sequence] = reference.view().stateHash();
            }
            appender.commit();
        }
    }

    @Test
    void aReplayToASequenceReadsNoRecordAfterIt()
    {
        for (final int last : new int[] {1, 15, 16, 17, 32, 33, 99})
        {
            final JournalReplayer replayer = replayer();
            try (FailingReader reader =
                new FailingReader(Journal.openReader(directory), FIRST_RECORD_READS + last + 1))
            {
                final ReplayStats stats = replayer.replay(reader, last, JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
                assertEquals(last, stats.events(), "to sequence " + last);
                assertEquals(hashAfter[last], replayer.state().stateHash(), "to sequence " + last);
                assertEquals(FIRST_RECORD_READS + last, reader.reads, "records read to sequence " + last);
            }
        }
    }

    @Test
    void aFailedReadIsThrownAfterEveryRecordBeforeItIsApplied()
    {
        for (final int failingRecord : new int[] {1, 2, 16, 17, 18, 40, 100})
        {
            final JournalReplayer replayer = replayer();
            try (FailingReader reader =
                new FailingReader(Journal.openReader(directory), FIRST_RECORD_READS + failingRecord))
            {
                final JournalCorruptionException thrown = assertThrows(JournalCorruptionException.class,
                    () -> replayer.replay(reader, JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED,
                        ReplayProgress.NONE));
                assertSame(reader.failure, thrown);
                assertEquals(failingRecord - 1, replayer.state().lastSequence(), "failing record " + failingRecord);
                assertEquals(hashAfter[failingRecord - 1], replayer.state().stateHash(),
                    "failing record " + failingRecord);
            }
        }
    }

    @Test
    void aReplayToATimeIgnoresAFailedReadPastIt()
    {
        for (final int last : new int[] {3, 15, 16, 31})
        {
            final JournalReplayer replayer = replayer();
            // The record after the bound is read (its time is what stops the replay), the one after that fails.
            try (FailingReader reader =
                new FailingReader(Journal.openReader(directory), FIRST_RECORD_READS + last + 2))
            {
                final ReplayStats stats =
                    replayer.replay(reader, JournalReplayer.UNBOUNDED, last * TIME_STEP + 5, ReplayProgress.NONE);
                assertEquals(last, stats.events(), "to time of sequence " + last);
                assertEquals(hashAfter[last], replayer.state().stateHash(), "to time of sequence " + last);
            }
        }
    }

    @Test
    void followAppliesUpToEachBoundAndKeepsTheRecordPastIt()
    {
        final JournalReplayer replayer = replayer();
        try (JournalReader reader = Journal.openReader(directory))
        {
            assertEquals(5, replayer.follow(reader, 5, 1_000));
            assertEquals(hashAfter[5], replayer.state().stateHash());
            assertEquals(0, replayer.follow(reader, 5, 1_000));
            assertEquals(3, replayer.follow(reader, 37, 3));
            assertEquals(hashAfter[8], replayer.state().stateHash());
            assertEquals(29, replayer.follow(reader, 37, 1_000));
            assertEquals(hashAfter[37], replayer.state().stateHash());
            assertEquals(1, replayer.follow(reader, 38, 1_000));
            assertEquals(RECORDS - 38, replayer.follow(reader, JournalReplayer.UNBOUNDED, 1_000));
            assertEquals(hashAfter[RECORDS], replayer.state().stateHash());
            assertEquals(RECORDS, replayer.followed().events());
        }
    }

    @Test
    void followThrowsAFailedReadAfterTheRecordsBeforeIt()
    {
        final JournalReplayer replayer = replayer();
        try (FailingReader reader = new FailingReader(Journal.openReader(directory), 21))
        {
            assertEquals(10, replayer.follow(reader, JournalReplayer.UNBOUNDED, 10));
            final JournalCorruptionException thrown = assertThrows(JournalCorruptionException.class,
                () -> replayer.follow(reader, JournalReplayer.UNBOUNDED, 1_000));
            assertSame(reader.failure, thrown);
            assertEquals(20, replayer.state().lastSequence());
            assertEquals(hashAfter[20], replayer.state().stateHash());
        }
    }

    private static JournalReplayer replayer()
    {
        return new JournalReplayer(JournalReplayer.RulesFactory.DEFAULT, LogicFailurePolicy.HALT);
    }

    /**
     * Two SKUs restocked, then orders placed and, from sequence 40 on, alternately shipped
     * (orders placed thirty commands before), placed, and cancelled or delivered.
     */
    private static int encode(final int sequence, final byte[] buffer)
    {
        if (sequence <= 2)
        {
            return CommandCodec.encodeRestock(buffer, 0, sequence, 1_000_000);
        }
        if (sequence >= 40 && sequence % 3 == 0)
        {
            return CommandCodec.encodeOrderCommand(buffer, 0, CommandType.SHIP, sequence - 30);
        }
        if (sequence >= 40 && sequence % 3 == 1)
        {
            return CommandCodec.encodeOrderCommand(buffer, 0,
                sequence % 2 == 0 ? CommandType.DELIVER : CommandType.CANCEL, sequence - 31);
        }
        final int length = CommandCodec.encodePlaceHeader(buffer, 0, sequence, 7, 3_600_000, 2);
        CommandCodec.encodePlaceLine(buffer, 0, 0, 1, sequence, 100);
        CommandCodec.encodePlaceLine(buffer, 0, 1, 2, 1, 50);
        return length;
    }

    /** Reads through another reader and fails, with a corruption it made up, at one read (counted from 1). */
    private static final class FailingReader implements JournalReader
    {
        private final JournalReader reader;
        private final int failingRead;
        final JournalCorruptionException failure =
            new JournalCorruptionException("made up by the test", new File("test"), 0, 0, 0);
        int reads;

        FailingReader(final JournalReader reader, final int failingRead)
        {
            this.reader = reader;
            this.failingRead = failingRead;
        }

        @Override
        public boolean seekToSequence(final long sequence)
        {
            return reader.seekToSequence(sequence);
        }

        @Override
        public boolean seekToEventTime(final long eventTimeMs)
        {
            return reader.seekToEventTime(eventTimeMs);
        }

        @Override
        public boolean readNext(final JournalRecord into)
        {
            if (++reads == failingRead)
            {
                throw failure;
            }
            return reader.readNext(into);
        }

        @Override
        public long firstSequence()
        {
            return reader.firstSequence();
        }

        @Override
        public long lastSequence()
        {
            return reader.lastSequence();
        }

        @Override
        public void close()
        {
            reader.close();
        }
    }
}
