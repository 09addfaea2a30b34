package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.EngineDirectoryRecord;
import io.stockflow.engine.LogicFailurePolicy;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --journal DIR} option every command shares, with its checks. */
final class EngineDirectory
{
    @Option(names = {"--journal",
        "-j"}, required = true, paramLabel = "DIR", description = "Engine directory (its journal/ and snapshots/).")
    Path directory;

    /**
     * @return the directory, checked to hold a journal (for read-only commands).
     * @throws UserException (66) when it is missing or not an engine directory.
     */
    Path existing()
    {
        if (!Files.exists(directory))
        {
            throw new UserException(ExitCodes.NO_INPUT,
                "no journal at " + directory + ": the directory does not exist");
        }
        if (!Files.isDirectory(directory))
        {
            throw new UserException(ExitCodes.NO_INPUT, directory + " is a file, not an engine directory");
        }
        if (!Files.isDirectory(EngineConfig.journalDirectoryOf(directory)))
        {
            throw new UserException(ExitCodes.NO_INPUT, directory
                + " is not a Stockflow engine directory (it has no journal/ inside); create one with 'stockflow run'");
        }
        return directory;
    }

    /**
     * @return the failure policy the directory was created with (HALT for a directory
     *         older than that record), which every replay of its journal applies so that
     *         it goes on, or stops, where the engine did.
     */
    LogicFailurePolicy failurePolicy()
    {
        return EngineDirectoryRecord.logicFailurePolicy(directory);
    }

    /** @return the journal directory inside. */
    Path journal()
    {
        return EngineConfig.journalDirectoryOf(directory);
    }

    /** @return the snapshot directory inside. */
    Path snapshots()
    {
        return EngineConfig.snapshotDirectoryOf(directory);
    }
}
