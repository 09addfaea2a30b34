package io.stockflow.engine;

import java.nio.file.Path;

/**
 * A replay from the journal's start found a command where the engine directory's record
 * ({@link EngineDirectoryRecord}) says the journal's {@link ParametersRecord} is: the cycle file
 * that held it was removed, or archived and read without its archive. Replaying on would use
 * 0, 0, 0 instead of the directory's rule parameters and give another state, so every replay
 * stops; the command line reports it as history missing (exit 66), like any other absent part
 * of the journal.
 */
public final class ParametersRecordMissingException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path journal;

    /**
     * @param journal the journal directory whose parameters record is missing.
     * @param message what is missing, where it likely was, and what to do.
     */
    public ParametersRecordMissingException(final Path journal, final String message)
    {
        super(message);
        this.journal = journal;
    }

    /** @return the journal directory whose parameters record is missing. */
    public Path journal()
    {
        return journal;
    }
}
