package io.stockflow.cli;

import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code stockflow state}: rebuild the state by replay (snapshot + tail) and print it. */
@Command(name = "state", mixinStandardHelpOptions = true, description = "Rebuild the state by replay (newest valid snapshot + journal tail), read-only, and print it.")
final class StateCommand implements Callable<Integer>
{
    /** Output formats. */
    enum Format
    {
        json,
        table
    }

    @Mixin
    private EngineDirectory directory;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|table", description = "json (docs/DOMAIN.md text form, one line) or table. Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = "--full", description = "Ignore snapshots: replay the whole journal.")
    private boolean full;

    @Option(names = "--archive", paramLabel = "ARCHIVE", description = "Read the cycles archived there (stockflow archive --into) first: with --full, the whole history once early cycles were archived.")
    private Path archive;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "replaying", 0);
        final Recovery.RecoveryResult result = ReadOnlyRebuild.rebuild(directory, !full, archive,
            JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED, progress);
        progress.finish();
        if (format == Format.json)
        {
            StatePrinter.printJson(result.replayer().state(), out);
        }
        else
        {
            StatePrinter.printTable(result.replayer().state(), out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
