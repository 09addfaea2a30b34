package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.ParametersRecord;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandView;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalCorruptionException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code stockflow salvage}: the way forward when an engine refuses to start
 * because a journal record before the tail is corrupt. It reads the damaged
 * journal up to the first fault and feeds every record before it, with its own
 * event time, into a new engine directory, which therefore holds the same
 * sequences and reaches the same state hash as the damaged journal had at that
 * point. The damaged directory is only read, never changed: it stays as
 * evidence, and the operator decides what to do with the records after the fault.
 *
 * <p>Only the prefix is copied. A record after the fault may read back fine, but
 * its outcome was decided on a state that included the lost record, so replaying
 * it without that record would give a state that never existed.
 */
@Command(name = "salvage", mixinStandardHelpOptions = true, description = "Copy the records before a journal's first fault into a new engine directory "
    + "(same sequences, event times and state hash as the damaged journal at that point). "
    + "The damaged directory is only read.")
final class SalvageCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--into", required = true, paramLabel = "NEWDIR", description = "The new engine directory; must not exist or be empty.")
    private Path into;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        directory.existing();
        checkTarget();
        final PrintWriter out = spec.commandLine().getOut();
        final Progress progress = new Progress(spec.commandLine().getErr(), quiet, "salvaging", 0);
        final JournalRecord record = new JournalRecord();
        final CommandView view = new CommandView();
        JournalCorruptionException fault = null;
        long copied = 0;
        final String stateHash;
        final long[] parameters = sourceParameters(record, view);
        // The copy keeps the source's parameters (0, 0, 0 for a journal written before they existed) and
        // its event times, however far ahead of this clock they run.
        final EngineConfig intoConfig = EngineConfig.builder(into)
            .ruleParameters(parameters[0], parameters[1], parameters[2]).maxClockAheadMs(0).build();
        try (JournalReader reader = Journal.openReader(directory.journal());
            StockflowEngine engine = StockflowEngine.builder(intoConfig).build())
        {
            engine.start();
            final CommandFeeder feeder = new CommandFeeder(engine.publisher());
            try
            {
                if (reader.seekToSequence(1))
                {
                    while (reader.readNext(record))
                    {
                        view.wrap(record.payload(), 0, record.payloadLength());
                        final long sequence = feeder.publish(view, record.eventTime());
                        if (sequence != record.sequence())
                        {
                            throw new UserException(ExitCodes.INTERNAL, "record " + record.sequence()
                                + " was given "
                                + (sequence < 0 ? PublishRefusal.name(sequence) : "sequence " + sequence)
                                + " in " + into
                                + (engine.haltReason() == null ? "" : " (" + engine.haltReason() + ")"));
                        }
                        if ((++copied & 0xFFFF) == 0)
                        {
                            progress.update(copied);
                        }
                    }
                }
            }
            catch (final JournalCorruptionException e)
            {
                fault = e;
            }
            progress.finish();
            if (copied > 0 && !engine.awaitReleased(copied, Duration.ofMinutes(10)))
            {
                throw new UserException(ExitCodes.IO_ERROR, "the new engine stopped before every record was applied: "
                    + (engine.haltReason() == null ? "timed out" : engine.haltReason()));
            }
            stateHash = StatePrinter.hash(engine.query(state -> state.stateHash()).join());
        }
        out.printf("salvaged     %,d records (sequence 1..%d) into %s, state hash %s%n", copied, copied, into,
            stateHash);
        if (fault == null)
        {
            out.printf("source       no fault found: %s is a full copy of %s%n", into, directory.directory);
        }
        else
        {
            out.printf("stopped at   %s%n", fault.getMessage());
            out.printf("not copied   the record at sequence %d and everything after it; %s is unchanged%n",
                copied + 1, directory.directory);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The new directory must not hold anything, above all not another engine's journal. */
    private void checkTarget()
    {
        if (into.toAbsolutePath().normalize().equals(directory.directory.toAbsolutePath().normalize()))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--into must name a new directory, not the damaged one");
        }
        if (!Files.exists(into))
        {
            return;
        }
        if (!Files.isDirectory(into))
        {
            throw new UserException(ExitCodes.USAGE, "--into " + into + " is a file; give a new or empty directory");
        }
        try (Stream<Path> entries = Files.list(into))
        {
            if (entries.findAny().isPresent())
            {
                throw new UserException(ExitCodes.USAGE, "--into " + into
                    + " is not empty; give a new or empty directory (salvage never writes into an existing engine)");
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + into + ": " + e.getMessage(), e);
        }
    }

    /** @return the source journal's parameters record's values, or 0, 0, 0 when it has none. */
    private long[] sourceParameters(final JournalRecord record, final CommandView view)
    {
        try (JournalReader first = Journal.openReader(directory.journal()))
        {
            if (first.readNext(record) && ParametersRecord.is(record))
            {
                ParametersRecord.decode(record, view);
                return new long[] {view.retentionMs(), view.orderCapacity(), view.skuCapacity()};
            }
        }
        catch (final JournalCorruptionException e)
        {
            // The damage is reported by the copy below; the parameters are then those of an old journal.
        }
        return new long[] {0, 0, 0};
    }
}
