package io.stockflow.engine.archival;

import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;
import io.stockflow.engine.snapshot.SnapshotStore;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The archiver's passes driven through {@link JournalArchivalWorker#doWork} on the test's thread
 * (no archiver thread): a pass with nothing to archive is still counted, begun and ended, so a
 * waiter can tell a pass that ran from one that did not.
 */
class JournalArchivalWorkerTest
{
    @TempDir
    Path directory;

    @Test
    void anEmptyPassIsCountedAsBegunAndEndedButNotAsARunThatArchived()
    {
        final CountersFile counters = CountersFile.inMemory();
        final Path archive = directory.resolve("archive");
        try (Journal journal = Journal.open(JournalConfig.builder(directory.resolve("journal"))
            .rollCycle(JournalRollCycle.TEST_SECONDLY).pretouch(false).build()))
        {
            final JournalArchivalWorker worker = new JournalArchivalWorker(journal,
                new SnapshotStore(directory.resolve("snapshots")), archive, Duration.ZERO, counters,
                System::currentTimeMillis, null);

            assertEquals(0, worker.doWork(), "no snapshot yet: nothing may go");
            assertEquals(1, counters.get(EngineCounter.ARCHIVE_PASSES_STARTED));
            assertEquals(1, counters.get(EngineCounter.ARCHIVE_PASSES));

            assertEquals(0, worker.doWork());
            assertEquals(2, counters.get(EngineCounter.ARCHIVE_PASSES_STARTED));
            assertEquals(2, counters.get(EngineCounter.ARCHIVE_PASSES));
            assertEquals(0, counters.get(EngineCounter.ARCHIVE_RUNS), "no pass moved a file");
            assertEquals(0, counters.get(EngineCounter.ARCHIVED_CYCLES));
            assertEquals(0, counters.get(EngineCounter.ARCHIVE_FAILURES));
            assertFalse(Files.exists(archive), "an empty pass touches no archive");
        }
    }
}
