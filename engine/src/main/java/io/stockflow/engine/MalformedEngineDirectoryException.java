package io.stockflow.engine;

import java.nio.file.Path;

/**
 * A file the engine keeps in its directory ({@link EngineDirectoryRecord}) exists but cannot be
 * read as written: edited by hand, or cut short by a power loss on a file system that lost it.
 * The command line reports it as bad data (exit 65) with the file and what is wrong, never as a
 * bug.
 */
public final class MalformedEngineDirectoryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file   the malformed file.
     * @param reason what is wrong with it and what the operator can do.
     */
    public MalformedEngineDirectoryException(final Path file, final String reason)
    {
        super("malformed " + file + ": " + reason);
        this.file = file;
    }

    /** @return the malformed file. */
    public Path file()
    {
        return file;
    }
}
