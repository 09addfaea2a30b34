package io.stockflow.perf.cli;

/** Exit statuses of {@code stockflow bench}, from sysexits(3) as in the rest of Stockflow. */
public final class ExitCodes
{
    /** Success. */
    public static final int OK = 0;
    /** The command line was wrong. */
    public static final int USAGE = 64;
    /** A self-check failed (the run is broken, no figure printed) or an unexpected error. */
    public static final int INTERNAL = 70;
    /** Reading or writing a file failed. */
    public static final int IO_ERROR = 74;

    private ExitCodes()
    {
    }
}
