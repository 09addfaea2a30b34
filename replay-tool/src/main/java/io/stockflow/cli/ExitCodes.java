package io.stockflow.cli;

/** Exit statuses, from sysexits(3), so scripts can tell a mistake from a fault. */
public final class ExitCodes
{
    /** Success. */
    public static final int OK = 0;
    /** The command line was wrong (unknown option, missing argument). */
    public static final int USAGE = 64;
    /** The input data was wrong: a malformed command line, a corrupt journal, an invalid plan. */
    public static final int DATA_ERROR = 65;
    /** The journal directory (or an input file) does not exist or is not a journal. */
    public static final int NO_INPUT = 66;
    /** A bug: an unexpected exception. */
    public static final int INTERNAL = 70;
    /** Reading or writing files failed (disk full, permissions). */
    public static final int IO_ERROR = 74;
    /** The directory is in use by another engine; try again later. */
    public static final int TEMP_FAIL = 75;
    /**
     * Stopped by SIGINT or SIGTERM after reporting what was journaled; the JVM itself ends with
     * 128 plus the signal's number (130 for SIGINT, 143 for SIGTERM), the shell's convention.
     */
    public static final int INTERRUPTED = 130;

    private ExitCodes()
    {
    }
}
