package io.stockflow.journal.testing;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;

import java.nio.file.Paths;

/** Child JVM: appends deterministic records as fast as it can until it is killed. Args: dir, roll cycle. */
public final class CrashingAppenderMain
{
    private CrashingAppenderMain()
    {
    }

    /** @param args directory and roll cycle name */
    public static void main(String[] args)
    {
        Journal journal = Journal.open(JournalConfig.builder(Paths.get(args[0]))
            .rollCycle(JournalRollCycle.valueOf(args[1]))
            .build());
        long next = journal.lastSequence() + 1;
        System.out.println("READY " + journal.lastSequence());
        System.out.flush();
        JournalAppender appender = journal.appender();
        while (true)
        {
            TestRecords.appendFor(appender, next++);
            if ((next & 63) == 0)
            {
                appender.commit();
            }
        }
    }
}
