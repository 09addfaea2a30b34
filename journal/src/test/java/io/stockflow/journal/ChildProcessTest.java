package io.stockflow.journal;

import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.FlagCheckMain;
import io.stockflow.journal.testing.LockHolderMain;
import io.stockflow.journal.testing.Slow;
import io.stockflow.journal.testing.TestRecords;
import io.stockflow.journal.testing.TornWriterMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Slow
@Timeout(120)
class ChildProcessTest
{
    @TempDir
    Path dir;

    @Test
    void secondWriterFromAnotherProcessIsRefusedNamingItsPid() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(true, LockHolderMain.class, dir.toString()))
        {
            child.awaitLine("LOCKED", 60);
            JournalLockedException error = assertThrows(JournalLockedException.class,
                () -> Journal.open(JournalConfig.builder(dir).pretouch(false).build()));
            assertEquals(child.pid(), error.holderPid());
            assertTrue(error.getMessage().contains("pid=" + child.pid()), error.getMessage());
            assertTrue(error.getMessage().contains(dir.toAbsolutePath().toString()), error.getMessage());
            child.process().getOutputStream().close();
            assertEquals(0, child.waitForExit(60), child.stderrText());
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).pretouch(false).build()))
        {
            assertEquals(0, journal.lastSequence());
        }
    }

    @Test
    void tornTailLeftByAWriterHaltedMidRecordIsZeroedReportedAndAppendingContinues() throws Exception
    {
        int partialPayloadBytes = 9;
        try (ChildJvm child =
            ChildJvm.start(true, TornWriterMain.class, dir.toString(), "300", Integer.toString(partialPayloadBytes)))
        {
            child.awaitLine("TORN", 60);
            child.waitForExit(60);
        }
        JournalRecord last = new JournalRecord();
        try (JournalReader reader = Journal.openReader(dir))
        {
            assertTrue(reader.seekToSequence(300));
            assertTrue(reader.readNext(last));
            assertTrue(!reader.readNext(new JournalRecord()), "readers stop at the torn record");
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()))
        {
            TailRecoveryReport report = journal.tailRecovery();
            assertTrue(report.tailWasTorn(), report.toString());
            long tornBody = RecordDescriptor.HEADER_LENGTH + partialPayloadBytes;
            assertTrue(
                report.discardedBytes() > RecordDescriptor.HEADER_LENGTH && report.discardedBytes() <= 4 + tornBody,
                report.toString());
            assertEquals(301, report.discardedFromSequence());
            assertEquals(301, report.discardedToSequence());
            assertEquals(300, report.lastGoodSequence());
            assertEquals(last.file(), report.file());
            long endOfLast = last.position() + RecordDescriptor.recordLength(last.payloadLength());
            assertEquals((endOfLast + 3) & ~3L, report.position());
            assertEquals(301, TestRecords.appendFor(journal.appender(), 301));
            assertEquals(302, TestRecords.appendFor(journal.appender(), 302));
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build()))
        {
            assertTrue(!journal.tailRecovery().tailWasTorn(), journal.tailRecovery().toString());
            try (JournalReader reader = journal.newReader())
            {
                JournalRecord record = new JournalRecord();
                for (long s = 1; s <= 302; s++)
                {
                    assertTrue(reader.readNext(record));
                    TestRecords.assertRecord(s, record);
                }
                assertTrue(!reader.readNext(record));
            }
        }
    }

    @Test
    void jvmWithoutChronicleFlagsIsToldWhichFlagIsMissing() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(false, FlagCheckMain.class, dir.resolve("journal").toString()))
        {
            String line = child.awaitLine("", 60);
            assertTrue(line.startsWith("REFUSED "), line + " / " + child.stderrText());
            assertTrue(line.contains("--add-"), line);
            assertTrue(line.contains("=ALL-UNNAMED"), line);
            child.waitForExit(60);
        }
    }
}
