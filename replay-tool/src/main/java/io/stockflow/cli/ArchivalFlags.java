package io.stockflow.cli;

import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine archiver's flags, {@code --archive-into ARCHIVE}, {@code --archive-delete} and
 * {@code --archive-older-than DURATION}, checked and read in one place: at most one mode, an age
 * only with a mode, the age a duration as {@link RuleFlags#durationMs} reads it. Every refusal is
 * a picocli {@link CommandLine.ParameterException} (one line, exit 64) raised before anything is
 * read or created. Public because {@code stockflow bench longrun} takes the same flags as
 * {@code stockflow run} and must refuse them with the same words.
 *
 * <p>Whether ARCHIVE may be used with a given journal (outside it, say) is not checked here:
 * {@code run} knows its directory when it parses, {@code bench longrun} only when its scratch
 * directory is made, and the engine checks again at start.
 *
 * @param archiveInto the archive directory, or null when the cycle files are deleted or kept.
 * @param byDeleting  true when the archiver deletes the cycle files.
 * @param olderThan   only cycles that ended at least this long ago (zero when not given).
 */
public record ArchivalFlags(Path archiveInto, boolean byDeleting, Duration olderThan)
{
    /**
     * @param commandLine   the command whose flags these are, for the usage error.
     * @param archiveInto   {@code --archive-into}, or null.
     * @param archiveDelete {@code --archive-delete}.
     * @param olderThan     {@code --archive-older-than} as typed, or null when not given.
     * @return the checked flags.
     * @throws CommandLine.ParameterException (exit 64) naming the flags and what is allowed.
     */
    public static ArchivalFlags parse(final CommandLine commandLine, final Path archiveInto,
        final boolean archiveDelete, final String olderThan)
    {
        if (archiveInto != null && archiveDelete)
        {
            throw new CommandLine.ParameterException(commandLine,
                "give at most one of --archive-into ARCHIVE (move the cycle files) and --archive-delete (remove them)");
        }
        if (olderThan == null)
        {
            return new ArchivalFlags(archiveInto, archiveDelete, Duration.ZERO);
        }
        if (archiveInto == null && !archiveDelete)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--archive-older-than needs --archive-into ARCHIVE or --archive-delete");
        }
        try
        {
            return new ArchivalFlags(archiveInto, archiveDelete,
                Duration.ofMillis(RuleFlags.durationMs("--archive-older-than", olderThan)));
        }
        catch (final UserException e)
        {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
