package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.snapshot.SnapshotSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code stockflow run}'s snapshot flags: what they set in the engine's configuration (nothing when
 * absent: the engine's defaults), bad values refused with one clear line before anything is created,
 * and runs under either snapshot source whose directories restore (newest snapshot plus the journal
 * after it) to the state a full replay gives.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunSnapshotFlagsTest
{
    @TempDir
    Path dir;

    @Test
    void theFlagsSetTheEnginesSnapshotsAndTheirAbsenceKeepsItsDefaults()
    {
        final CommandLine commandLine = new CommandLine(new RunCommand());
        final EngineConfig given = SnapshotFlags.parse(commandLine, 500L, "90s", SnapshotFlags.SourceName.live)
            .applyTo(EngineConfig.builder(dir)).build();
        assertEquals(500, given.snapshotEveryEvents());
        assertEquals(Duration.ofSeconds(90), given.snapshotEveryInterval());
        assertEquals(SnapshotSource.LIVE_STATE, given.snapshotSource());

        final EngineConfig defaults = EngineConfig.builder(dir).build();
        final EngineConfig absent = SnapshotFlags.parse(commandLine, null, null, null)
            .applyTo(EngineConfig.builder(dir)).build();
        assertEquals(defaults.snapshotEveryEvents(), absent.snapshotEveryEvents());
        assertEquals(defaults.snapshotEveryInterval(), absent.snapshotEveryInterval());
        assertEquals(defaults.snapshotSource(), absent.snapshotSource());
    }

    @Test
    void badSnapshotFlagsAreRefusedBeforeAnythingIsCreated()
    {
        final Path engine = dir.resolve("engine");
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restock(1) + "\n");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--snapshot-every", "-1"),
            ExitCodes.USAGE, "--snapshot-every must be 0");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--snapshot-every", "many"),
            ExitCodes.USAGE, "--snapshot-every");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--snapshot-interval",
            "soon"), ExitCodes.USAGE, "not a duration");
        Cli.assertOneClearErrorLine(Cli.run(engine, "run", "--input", input.toString(), "--snapshot-source",
            "disk"), ExitCodes.USAGE, "--snapshot-source", "shadow, live");
        assertFalse(Files.exists(engine), "nothing was created");
    }

    @Test
    void runsUnderEitherSourceRestoreToTheStateAFullReplayGives()
    {
        final Path input = Cli.write(dir.resolve("in.jsonl"), Journals.restocks(2_000));
        for (final String source : new String[] {"shadow", "live"})
        {
            final Path engine = dir.resolve(source);
            Cli.run(engine, "run", "--input", input.toString(), "--snapshot-every", "250", "--snapshot-interval", "1",
                "--snapshot-source", source, "--quiet").ok();
            final String full = Cli.run(engine, "state", "--full").ok().stateHash();
            assertEquals(full, Cli.run(engine, "state").ok().stateHash(), source);
        }
    }
}
