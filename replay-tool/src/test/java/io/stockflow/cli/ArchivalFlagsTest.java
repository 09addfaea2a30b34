package io.stockflow.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archiver's flags as {@code stockflow run} and {@code stockflow bench longrun} both read them:
 * each refusal is a usage error on the calling command with the words both print, and an accepted
 * combination gives the mode and the age the engine is configured with.
 */
class ArchivalFlagsTest
{
    private static final Path ARCHIVE = Path.of("archive");

    private final CommandLine commandLine = new CommandLine(new StockflowCommand());

    @Test
    void bothModesAreRefused()
    {
        final CommandLine.ParameterException refused = assertThrows(CommandLine.ParameterException.class,
            () -> ArchivalFlags.parse(commandLine, ARCHIVE, true, null));

        assertSame(commandLine, refused.getCommandLine());
        assertTrue(refused.getMessage().contains("give at most one of --archive-into ARCHIVE"), refused.getMessage());
    }

    @Test
    void anAgeWithoutAModeIsRefusedEvenWhenZero()
    {
        for (final String age : new String[] {"1h", "0"})
        {
            final CommandLine.ParameterException refused = assertThrows(CommandLine.ParameterException.class,
                () -> ArchivalFlags.parse(commandLine, null, false, age));

            assertEquals("--archive-older-than needs --archive-into ARCHIVE or --archive-delete",
                refused.getMessage());
        }
    }

    @Test
    void anAgeThatIsNoDurationIsAUsageErrorNamingTheFlag()
    {
        final CommandLine.ParameterException refused = assertThrows(CommandLine.ParameterException.class,
            () -> ArchivalFlags.parse(commandLine, null, true, "soon"));

        assertTrue(refused.getMessage().startsWith("--archive-older-than soon"), refused.getMessage());
        assertTrue(refused.getMessage().contains("not a duration"), refused.getMessage());
    }

    @Test
    void acceptedFlagsGiveTheModeAndTheAge()
    {
        final ArchivalFlags into = ArchivalFlags.parse(commandLine, ARCHIVE, false, "36h");
        final ArchivalFlags delete = ArchivalFlags.parse(commandLine, null, true, null);
        final ArchivalFlags off = ArchivalFlags.parse(commandLine, null, false, null);

        assertEquals(new ArchivalFlags(ARCHIVE, false, Duration.ofHours(36)), into);
        assertEquals(new ArchivalFlags(null, true, Duration.ZERO), delete);
        assertNull(off.archiveInto());
        assertFalse(off.byDeleting());
        assertEquals(Duration.ZERO, off.olderThan());
    }
}
