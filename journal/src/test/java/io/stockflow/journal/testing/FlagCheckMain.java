package io.stockflow.journal.testing;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;

import java.nio.file.Paths;

/** Child JVM, started without Chronicle's flags: prints what {@code Journal.open} says. Args: dir. */
public final class FlagCheckMain
{
    private FlagCheckMain()
    {
    }

    /** @param args the journal directory */
    public static void main(String[] args)
    {
        try (Journal journal = Journal.open(JournalConfig.builder(Paths.get(args[0])).build()))
        {
            System.out.println("OPENED " + journal.lastSequence());
        }
        catch (IllegalStateException e)
        {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.flush();
    }
}
