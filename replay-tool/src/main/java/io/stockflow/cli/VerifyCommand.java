package io.stockflow.cli;

import io.stockflow.engine.recovery.DirectoryVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code stockflow verify}: the checks of {@link DirectoryVerifier} (every journal record, a full
 * replay, the state hash compared with every snapshot's, every snapshot loaded on its own, the
 * invariants of docs/DOMAIN.md) on the directory, with a progress display on stderr. Each fault is
 * printed with its file, offset and sequence; any fault gives exit status 65. The directory is
 * never written.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every record, replay fully, compare the state hash with every snapshot's. "
    + "Exit 0 when all hold, 65 with each fault's file, offset and sequence otherwise.")
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @Option(names = "--archive", paramLabel = "ARCHIVE", description = "Read the cycles archived there (stockflow archive --into) first, and check the whole history.")
    private Path archive;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final DirectoryVerifier verifier = new DirectoryVerifier(directory.directory, archive, out,
            (label, total) -> new Progress(err, quiet, label, total));
        return verifier.verify().isEmpty() ? ExitCodes.OK : ExitCodes.DATA_ERROR;
    }
}
