package io.stockflow.cli;

import io.stockflow.engine.recovery.DirectoryVerifier;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second; silent
 * when stderr is not a terminal or with {@code --quiet}.
 */
final class Progress implements DirectoryVerifier.ProgressDisplay
{
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long startNs = System.nanoTime();
    private long lastDrawNs;
    private boolean drawn;

    /**
     * @param err   standard error.
     * @param quiet true for no output.
     * @param label what is progressing.
     * @param total the expected count, or 0 if unknown.
     */
    Progress(final PrintWriter err, final boolean quiet, final String label, final long total)
    {
        this(err, quiet, label, total, Terminal.stderrIsTerminal());
    }

    /**
     * @param err              standard error.
     * @param quiet            true for no output.
     * @param label            what is progressing.
     * @param total            the expected count, or 0 if unknown.
     * @param stderrIsTerminal whether standard error is a terminal.
     */
    Progress(final PrintWriter err, final boolean quiet, final String label, final long total,
        final boolean stderrIsTerminal)
    {
        this.err = err;
        this.enabled = !quiet && stderrIsTerminal;
        this.label = label;
        this.total = total;
    }

    @Override
    public void onProgress(final long sequence, final long events)
    {
        update(events);
    }

    void update(final long done)
    {
        if (!enabled)
        {
            return;
        }
        final long now = System.nanoTime();
        if (drawn && now - lastDrawNs < REDRAW_NANOS)
        {
            return;
        }
        lastDrawNs = now;
        drawn = true;
        final double seconds = Math.max(1e-9, (now - startNs) / 1e9);
        final String rate = String.format("%,.0f/s", done / seconds);
        if (total > 0)
        {
            final int width = 30;
            final int filled = (int)Math.min(width, done * width / total);
            err.printf("\r%s [%s%s] %3d%% %,d %s   ", label, "#".repeat(filled), ".".repeat(width - filled),
                Math.min(100, done * 100 / total), done, rate);
        }
        else
        {
            err.printf("\r%s %,d %s   ", label, done, rate);
        }
        err.flush();
    }

    @Override
    public void finish()
    {
        if (enabled && drawn)
        {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
        }
    }
}
