package io.stockflow.journal.testing;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.RecordDescriptor;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Paths;

/**
 * Child JVM: appends {@code count} records, then starts record {@code count + 1} directly on the
 * Chronicle queue, writes its header and the first bytes of its payload, and halts the JVM
 * mid-document, as a crash would. Args: dir, count, payload bytes to write.
 */
public final class TornWriterMain
{
    private TornWriterMain()
    {
    }

    /** @param args directory, record count, partial payload bytes */
    public static void main(String[] args)
    {
        long count = Long.parseLong(args[1]);
        int partialPayload = Integer.parseInt(args[2]);
        try (Journal journal = Journal.open(JournalConfig.builder(Paths.get(args[0])).pretouch(false).build()))
        {
            for (long s = 1; s <= count; s++)
            {
                TestRecords.appendFor(journal.appender(), s);
            }
        }
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(Paths.get(args[0]))
            .rollCycle(JournalRollCycle.HOURLY.chronicleRollCycle()).build();
        ExcerptAppender appender = queue.createAppender();
        long torn = count + 1;
        byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
        byte[] payload = TestRecords.payloadFor(torn);
        RecordDescriptor.encodeHeader(header, torn, TestRecords.eventTimeFor(torn), TestRecords.typeFor(torn),
            TestRecords.versionFor(torn), payload.length);
        DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().write(header, 0, header.length);
        dc.wire().bytes().write(payload, 0, partialPayload);
        System.out.println("TORN " + torn);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
