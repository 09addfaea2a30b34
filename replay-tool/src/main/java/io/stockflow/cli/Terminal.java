package io.stockflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Whether a standard stream is a terminal, for progress display (Linux: /proc/self/fd). */
final class Terminal
{
    private Terminal()
    {
    }

    /** @return true when standard error is a terminal, so progress lines help rather than clutter a log. */
    static boolean stderrIsTerminal()
    {
        try
        {
            final Path target = Paths.get("/proc/self/fd/2").toRealPath();
            final String name = target.toString();
            return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
        }
        catch (final IOException | RuntimeException e)
        {
            return false;
        }
    }
}
