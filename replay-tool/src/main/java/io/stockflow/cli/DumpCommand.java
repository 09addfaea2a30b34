package io.stockflow.cli;

import io.stockflow.cli.text.TextFormat;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.command.CommandView;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code stockflow dump}: the journaled commands as JSON Lines in the input form,
 * each with its event time as {@code ts}, so {@code dump | run} into a new
 * directory rebuilds the identical state.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, description = "Write the journaled commands as JSON Lines (the input form, ts = event time).")
final class DumpCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--from-seq", paramLabel = "N", description = "First sequence. Default: where the history starts (1, or the first sequence kept once early cycles were archived).")
    private Long fromSequence;

    @Option(names = "--archive", paramLabel = "ARCHIVE", description = "Read the cycles archived there (stockflow archive --into) first: the whole history.")
    private Path archive;

    @Option(names = "--to-seq", paramLabel = "N", description = "Last sequence. Default: the end.")
    private long toSequence = Long.MAX_VALUE;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        if (fromSequence != null && fromSequence < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--from-seq must be >= 1, was " + fromSequence);
        }
        if (toSequence < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to-seq must be >= 1, was " + toSequence);
        }
        if (fromSequence != null && toSequence < fromSequence)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--to-seq " + toSequence + " is before --from-seq " + fromSequence);
        }
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "dumping", 0);
        long dumped = 0;
        final JournalRecord record = new JournalRecord();
        final CommandView view = new CommandView();
        final StringBuilder line = new StringBuilder(256);
        try (JournalReader reader = directory.openReader(archive))
        {
            final long start = directory.historyStart(reader, archive);
            final long from = fromSequence == null ? start : fromSequence;
            // Archival that took the cycle file holding the parameters record alone leaves them archived, as it
            // does when it takes commands: the dump then starts with the commands, as from a later start.
            if (from == 1 && reader.readNext(record) && !directory.origin().parametersRecordArchived(record))
            {
                directory.origin().checkFirstRecord(record);
                writeParametersLine(record, view, line, out);
            }
            if (reader.seekToSequence(from))
            {
                while (reader.readNext(record) && record.sequence() <= toSequence)
                {
                    view.wrap(record.payload(), 0, record.payloadLength());
                    line.setLength(0);
                    TextFormat.appendCommand(line, record.eventTime(), view).append('\n');
                    out.append(line);
                    if ((++dumped & 0xFFF) == 0)
                    {
                        progress.update(dumped);
                        if (out.checkError())
                        {
                            // The reader of our output went away (dump | head): stop quietly.
                            progress.finish();
                            return ExitCodes.OK;
                        }
                    }
                }
            }
        }
        progress.finish();
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * From the start, dump writes the journal's parameters record first, as a RULES line with all
     * three parameters and no {@code ts}; a journal written before parameters existed replays under
     * 0, 0, 0, and its dump says so (docs/DOMAIN.md "Text form"), so {@code dump | run} rebuilds the
     * same journal.
     */
    private static void writeParametersLine(
        final JournalRecord first, final CommandView view, final StringBuilder line, final PrintWriter out)
    {
        line.setLength(0);
        if (ParametersRecord.is(first))
        {
            ParametersRecord.decode(first, view);
            TextFormat.appendParameters(line, view.retentionMs(), view.orderCapacity(), view.skuCapacity());
        }
        else
        {
            TextFormat.appendParameters(line, 0, 0, 0);
        }
        out.append(line.append('\n'));
    }
}
