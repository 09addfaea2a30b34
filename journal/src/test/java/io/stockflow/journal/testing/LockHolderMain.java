package io.stockflow.journal.testing;

import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;

import java.io.IOException;
import java.nio.file.Paths;

/** Child JVM: holds a journal open for writing until its standard input closes. Args: dir. */
public final class LockHolderMain
{
    private LockHolderMain()
    {
    }

    /** @param args the journal directory */
    public static void main(String[] args) throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.builder(Paths.get(args[0])).pretouch(false).build()))
        {
            System.out.println("LOCKED " + ProcessHandle.current().pid() + " " + journal.lastSequence());
            System.out.flush();
            while (System.in.read() >= 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
