package io.stockflow.cli;

import io.stockflow.cli.text.CommandFormatException;
import io.stockflow.cli.text.JsonLinesCommandReader;
import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.recovery.JournalReplayer;
import io.stockflow.engine.recovery.Recovery;
import io.stockflow.engine.recovery.ReplayProgress;
import io.stockflow.journal.Durability;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalException;
import io.stockflow.journal.JournalReader;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.FileTree;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code stockflow run}: opens (or creates) the engine on a directory, recovering
 * first, feeds it JSON Lines commands, waits for every outcome, writes the
 * results, prints a summary and closes cleanly. A format error stops the input
 * at that line (exit 65); everything before it stays journaled and is reported.
 * An empty input is zero commands, not an error (exit 0): a pipeline such as
 * {@code dump --from-seq N | run} that has nothing after N succeeds, and the
 * directory is left exactly as it was.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Feed JSON Lines commands into the engine on DIR (created if absent, recovered first), "
    + "wait for every outcome, write the results, print a summary.")
final class RunCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = {"--input",
        "-i"}, required = true, paramLabel = "FILE|-", description = "JSON Lines commands, one per line; - for standard input.")
    private String input;

    @Option(names = {"--results",
        "-r"}, paramLabel = "FILE", description = "Write one JSON result per journaled command here, in journal order.")
    private Path results;

    @Option(names = "--durability", defaultValue = "PROCESS_CRASH", paramLabel = "LEVEL", description = "PROCESS_CRASH (survives kill -9; default) or OS_CRASH (pages forced to disk per batch).")
    private Durability durability;

    @Option(names = "--roll-cycle", paramLabel = "NAME", description = "How often a new directory's journal starts a new cycle file: TEST_SECONDLY, MINUTELY, HOURLY (default) or DAILY; recorded with the directory. On an existing directory it must equal the recorded one (omitted: the recorded one).")
    private String rollCycle;

    @Option(names = "--max-line-bytes", defaultValue = "1048576", paramLabel = "N", description = "Longest input line accepted. Default: ${DEFAULT-VALUE}.")
    private int maxLineBytes;

    @Option(names = {"--quiet", "-q"}, description = "No progress display.")
    private boolean quiet;

    @Option(names = "--order-retention", paramLabel = "DURATION", description = "A new directory's retentionMs: how long a settled order is held (90s, 10m, 36h, 7d or plain ms; 0: never forget; default 7d). On an existing directory it must equal the journal's current value (a RULES command changes it).")
    private String orderRetention;

    @Option(names = "--order-capacity", paramLabel = "N", description = "A new directory's orderCapacity: most orders held, 0 (no limit) or 1..268435456 (default 16777216). On an existing directory it must equal the current value.")
    private String orderCapacity;

    @Option(names = "--sku-capacity", paramLabel = "N", description = "A new directory's skuCapacity: most SKUs, 0 (no limit) or 1..16777216 (default 1048576). On an existing directory it must equal the current value.")
    private String skuCapacity;

    @Option(names = "--max-clock-ahead", paramLabel = "DURATION", description = "Refuse a command whose ts is more than this ahead of the engine clock (default 1d; 0 turns the bound off, for synthetic timelines).")
    private String maxClockAhead;

    @Option(names = "--archive-into", paramLabel = "ARCHIVE", description = "The engine archives while it runs: moves the journal's cycle files wholly before the oldest retained snapshot into ARCHIVE (outside DIR, another disk say; the same one every time). Default: keep everything.")
    private Path archiveInto;

    @Option(names = "--archive-delete", description = "The engine deletes those cycle files instead of moving them: the history before the oldest snapshot is gone.")
    private boolean archiveDelete;

    @Option(names = "--archive-older-than", paramLabel = "DURATION", description = "With --archive-into or --archive-delete: only cycles that ended more than this long ago (90s, 10m, 36h, 7d or plain ms). Default: 0.")
    private String archiveOlderThan;

    @Option(names = "--disk-free-warning", paramLabel = "BYTES", description = "Warn (log line, JFR event, counter) below this many free bytes on the journal's file system; 0 never. Default: 1073741824 (the journal halts below 67108864).")
    private Long diskFreeWarning;

    @Option(names = "--snapshot-every", paramLabel = "N", description = "A snapshot every N commands (0: never by count). A restart loads the newest snapshot and replays the journal after it, so N bounds that replay. Default: 1000000.")
    private Long snapshotEvery;

    @Option(names = "--snapshot-interval", paramLabel = "DURATION", description = "Also a snapshot once this long has passed since the last, when new commands were applied (90s, 10m, 36h, 7d or plain ms). Default: 0 (never by time).")
    private String snapshotInterval;

    @Option(names = "--snapshot-source", paramLabel = "SOURCE", description = "Where the snapshots come from: shadow (a shadow state replays the journal a second time and checks the live state's determinism) or live (the logic stage copies the live state row by row: no second pass of the rules, no determinism check). Default: shadow.")
    private SnapshotFlags.SourceName snapshotSource;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** How long a signal's shutdown waits for the run to drain, close and report. */
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(60);
    // Set by the shutdown hook a signal runs, read by the feeding loop.
    private volatile boolean stopRequested;

    @Override
    public Integer call() throws IOException
    {
        if (maxLineBytes < 1 || maxLineBytes > JsonLinesCommandReader.MAX_MAX_LINE_BYTES)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-line-bytes must be in 1.."
                + JsonLinesCommandReader.MAX_MAX_LINE_BYTES + ", was " + maxLineBytes);
        }
        final RuleFlags flags = new RuleFlags(orderRetention, orderCapacity, skuCapacity, maxClockAhead);
        final ArchivalFlags archival = checkArchivalFlags();
        final SnapshotFlags snapshots =
            SnapshotFlags.parse(spec.commandLine(), snapshotEvery, snapshotInterval, snapshotSource);
        checkDirectory(directory.directory);
        checkResultsFile();
        final JournalRollCycle chosenRollCycle = rollCycle == null ? null : checkRollCycle(parseRollCycle(rollCycle));
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try (JsonLinesCommandReader reader = new JsonLinesCommandReader(openInput(), maxLineBytes))
        {
            final ParsedCommand command = new ParsedCommand();
            // The first command is read before the engine starts, so an empty input or a bad first line
            // leaves the directory exactly as it was (not even created).
            try
            {
                if (!reader.next(command))
                {
                    reportEmptyInput(out);
                    return ExitCodes.OK;
                }
            }
            catch (final CommandFormatException e)
            {
                err.println("stockflow run: " + describeInput() + ": " + e.getMessage()
                    + "; input stopped there, nothing was journaled");
                err.flush();
                return ExitCodes.DATA_ERROR;
            }
            final long[] parameters;
            boolean hasCommand = true;
            if (!Files.isDirectory(directory.journal()))
            {
                // A first line of type RULES is the new directory's parameters record, not a command.
                parameters = flags.forNewDirectory(command);
                if (command.type() == CommandType.RULES)
                {
                    hasCommand = nextOrFormatError(reader, command, err);
                    if (formatErrorAtSecondLine)
                    {
                        return ExitCodes.DATA_ERROR;
                    }
                }
            }
            else
            {
                parameters = null;
                if (flags.anyParameter())
                {
                    flags.checkExisting(ReadOnlyRebuild.rebuild(directory, true, null, JournalReplayer.UNBOUNDED,
                        JournalReplayer.UNBOUNDED, ReplayProgress.NONE).replayer().state());
                }
            }
            try (OutputStream resultStream = results == null ? null
                : new BufferedOutputStream(Files.newOutputStream(results), 1 << 16))
            {
                final ParsedCommand first = hasCommand ? command : null;
                return stoppableBySignal(() -> feed(reader, first, resultStream, out, err, parameters, flags,
                    archival, snapshots, chosenRollCycle));
            }
        }
    }

    private boolean formatErrorAtSecondLine;

    /** The archival flags are checked before anything is read or created, like every other flag. */
    private ArchivalFlags checkArchivalFlags()
    {
        final ArchivalFlags archival = ArchivalFlags.parse(spec.commandLine(), archiveInto, archiveDelete,
            archiveOlderThan);
        if (diskFreeWarning != null && diskFreeWarning != 0
            && diskFreeWarning <= JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--disk-free-warning must be 0 (never warn) or"
                + " above the journal's halt level " + JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES + ", was "
                + diskFreeWarning);
        }
        if (archiveInto != null)
        {
            EngineConfig.checkArchive(directory.directory, archiveInto);
        }
        return archival;
    }

    /** Reads the line after the parameters record; a format error there stops before anything is created. */
    private boolean nextOrFormatError(
        final JsonLinesCommandReader reader, final ParsedCommand command, final PrintWriter err) throws IOException
    {
        try
        {
            return reader.next(command);
        }
        catch (final CommandFormatException e)
        {
            err.println("stockflow run: " + describeInput() + ": " + e.getMessage()
                + "; input stopped there, nothing was journaled");
            err.flush();
            formatErrorAtSecondLine = true;
            return false;
        }
    }

    /** The run's feeding, which a signal stops part way. */
    private interface Feeding
    {
        int run() throws IOException;
    }

    /*
     * A signal (Ctrl-C, SIGTERM) starts the JVM's shutdown: the hook asks the loop to stop and holds
     * the exit until this run has drained the engine, closed it and said where to resume, so the
     * results file is whole and the way forward is printed. Bounded, so a stuck close cannot hold
     * the process forever.
     */
    private int stoppableBySignal(final Feeding feeding) throws IOException
    {
        final CountDownLatch reported = new CountDownLatch(1);
        final Thread onSignal = new Thread(() ->
        {
            stopRequested = true;
            try
            {
                reported.await(SIGNAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "stockflow-run-signal");
        try
        {
            Runtime.getRuntime().addShutdownHook(onSignal);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // A signal came before the run started: it stops before the first command.
            stopRequested = true;
        }
        try
        {
            return feeding.run();
        }
        finally
        {
            reported.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // The hook is running: it returns now that the report is out.
            }
        }
    }

    private int feed(
        final JsonLinesCommandReader reader,
        final ParsedCommand command,
        final OutputStream resultStream,
        final PrintWriter out,
        final PrintWriter err,
        final long[] parameters,
        final RuleFlags flags,
        final ArchivalFlags archival,
        final SnapshotFlags snapshots,
        final JournalRollCycle chosenRollCycle) throws IOException
    {
        final RunSummary summary = new RunSummary(resultStream);
        // An existing directory goes on under the failure policy it was created with, and its journal's parameters.
        final EngineConfig.Builder builder = EngineConfig.builder(directory.directory).durability(durability)
            .logicFailurePolicy(directory.failurePolicy()).maxClockAheadMs(flags.maxClockAheadMs());
        if (parameters != null)
        {
            builder.ruleParameters(parameters[0], parameters[1], parameters[2]);
        }
        if (chosenRollCycle != null)
        {
            builder.rollCycle(chosenRollCycle);
        }
        snapshots.applyTo(builder);
        builder.archiveInto(archival.archiveInto()).archiveByDeleting(archival.byDeleting())
            .archiveOlderThan(archival.olderThan());
        if (diskFreeWarning != null)
        {
            builder.diskFreeWarningBytes(diskFreeWarning);
        }
        final EngineConfig config = builder.build();
        String clockAhead = null;
        CommandFormatException formatError = null;
        UserException engineStopped = null;
        final long elapsed;
        final String stateHash;
        final long engineLastSequence;
        // The input line of each sequence still in the ring: when the engine halts, the commands published after
        // the journal's end have sequences but no record, and the way forward is the line of the first of them.
        final int ringMask = config.ringSize() - 1;
        final long[] inputLineOfSequence = new long[config.ringSize()];
        long lastSequence = 0;
        long refusedLine = 0;
        long interruptedAtLine = 0;
        try (StockflowEngine engine = StockflowEngine.builder(config).outcomeListener(summary).build())
        {
            engine.start();
            final CommandFeeder feeder = new CommandFeeder(engine.publisher());
            final Progress progress = new Progress(err, quiet, "running", 0);
            final long start = System.nanoTime();
            long fed = 0;
            try
            {
                while (command != null)
                {
                    if (stopRequested)
                    {
                        interruptedAtLine = reader.lineNumber();
                        break;
                    }
                    final long result = feeder.publish(command);
                    if (result == PublishRefusal.CLOCK_AHEAD)
                    {
                        refusedLine = reader.lineNumber();
                        clockAhead = "line " + reader.lineNumber() + ": \"ts\":" + command.ts() + " is more than "
                            + config.maxClockAheadMs() + " ms ahead of the engine clock (--max-clock-ahead; 0 turns"
                            + " the bound off)";
                        break;
                    }
                    if (result < 0)
                    {
                        refusedLine = reader.lineNumber();
                        engineStopped = stopped(engine, "engine refused the command at input line "
                            + refusedLine + ": " + PublishRefusal.name(result));
                        break;
                    }
                    lastSequence = result;
                    inputLineOfSequence[(int)(result & ringMask)] = reader.lineNumber();
                    if ((++fed & 0x3FF) == 0)
                    {
                        progress.update(fed);
                    }
                    if (!reader.next(command))
                    {
                        break;
                    }
                }
            }
            catch (final CommandFormatException e)
            {
                refusedLine = reader.lineNumber();
                formatError = e;
            }
            catch (final SignalAwareInput.StoppedWhileWaiting e)
            {
                // The signal came while the input had nothing to read: every line before the next is published.
                interruptedAtLine = reader.lineNumber() + 1;
            }
            progress.finish();
            if (engineStopped == null && !engine.awaitReleased(lastSequence, Duration.ofMinutes(10)))
            {
                engineStopped = stopped(engine, "engine stopped before every outcome was released");
            }
            elapsed = System.nanoTime() - start;
            stateHash = engineStopped != null ? "unknown (the engine stopped)"
                : StatePrinter.hash(engine.query(state -> state.stateHash()).join());
            engineLastSequence = engine.releasedSequence();
            // The results of every released outcome reach the file before the close, which a signal's grace bounds.
            summary.finish();
        }
        summary.finish();
        summary.print(out, elapsed, engineLastSequence, stateHash);
        out.flush();
        if (engineStopped != null)
        {
            err.println("stockflow run: " + engineStopped.getMessage() + "; " + wayForward(lastSequence,
                refusedLine, inputLineOfSequence, ringMask) + " (outcomes were released for " + summary.commands()
                + " of this run's commands)");
            err.flush();
            return engineStopped.exitCode();
        }
        if (interruptedAtLine > 0)
        {
            err.println("stockflow run: stopped by a signal before input line " + interruptedAtLine + "; "
                + wayForward(lastSequence, interruptedAtLine, inputLineOfSequence, ringMask));
            err.flush();
            return ExitCodes.INTERRUPTED;
        }
        if (clockAhead != null)
        {
            err.println("stockflow run: " + describeInput() + ": " + clockAhead
                + "; input stopped there, the " + summary.commands() + " command(s) before it are journaled");
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        if (formatError != null)
        {
            err.println("stockflow run: " + describeInput() + ": " + formatError.getMessage()
                + "; input stopped there, the " + summary.commands() + " command(s) before it are journaled");
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        return ExitCodes.OK;
    }

    /**
     * Where to take the input up again after the engine halted or a signal stopped the run: the
     * journal, read once the engine closed, may hold commands whose outcome was never released (their
     * batch did not commit), and commands published after its end took sequences but have no record.
     *
     * @param notPublishedLine the input line the run read but did not publish, or 0
     */
    private String wayForward(final long lastPublished, final long notPublishedLine, final long[] inputLineOfSequence,
        final int ringMask)
    {
        final long journalEnd;
        try (JournalReader reader = Journal.openReader(directory.journal()))
        {
            journalEnd = reader.lastSequence();
        }
        catch (final JournalException unreadable)
        {
            return "the journal cannot be read to say where it ends (" + unreadable.getMessage()
                + "); run stockflow verify on it before going on";
        }
        if (journalEnd >= lastPublished && notPublishedLine == 0)
        {
            return "the journal ends at sequence " + journalEnd + ", with every command the input gave";
        }
        if (lastPublished - journalEnd > inputLineOfSequence.length)
        {
            // Only a damaged journal ends more than a ring behind what was released.
            return "the journal ends at sequence " + journalEnd + ", more than the ring behind this run's last command;"
                + " find the input line of sequence " + (journalEnd + 1) + " with stockflow dump before going on";
        }
        final long resumeLine = journalEnd < lastPublished ? inputLineOfSequence[(int)((journalEnd + 1) & ringMask)]
            : notPublishedLine;
        return "the journal ends at sequence " + journalEnd + ", so resume from input line " + resumeLine;
    }

    /**
     * Prints the summary of a run that had no commands, without starting the engine: the last
     * sequence and state hash are those already journaled (a read-only rebuild), or none when
     * there is no engine directory yet, which stays uncreated.
     */
    private void reportEmptyInput(final PrintWriter out)
    {
        final long lastSequence;
        final String stateHash;
        if (Files.isDirectory(directory.journal()))
        {
            final Recovery.RecoveryResult existing = ReadOnlyRebuild.rebuild(directory, true, null,
                JournalReplayer.UNBOUNDED, JournalReplayer.UNBOUNDED, ReplayProgress.NONE);
            lastSequence = existing.replayer().state().lastSequence();
            stateHash = StatePrinter.hash(existing.replayer().state().stateHash());
        }
        else
        {
            lastSequence = 0;
            stateHash = "none (no engine directory; none was created)";
        }
        RunSummary.printEmptyInput(out, describeInput(), lastSequence, stateHash);
        out.flush();
    }

    /**
     * @return the failure to report when the engine stops taking commands: an I/O status (74)
     *     when the journal halted it (disk full, a failed write), internal (70) otherwise.
     */
    private static UserException stopped(final StockflowEngine engine, final String what)
    {
        final Throwable cause = engine.haltCause();
        final int status = cause == null ? ExitCodes.INTERNAL : ErrorReporter.exitCodeFor(rootOf(cause));
        return new UserException(status,
            what + (engine.haltReason() == null ? " (timed out)" : " (" + engine.haltReason() + ")"));
    }

    private static Throwable rootOf(final Throwable failure)
    {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof JournalException))
        {
            cause = cause.getCause();
        }
        return cause;
    }

    private void checkResultsFile()
    {
        if (results == null)
        {
            return;
        }
        if (Files.isDirectory(results))
        {
            throw new UserException(ExitCodes.IO_ERROR, "cannot write results to " + results
                + ": it is a directory");
        }
        final Path parent = results.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            throw new UserException(ExitCodes.IO_ERROR, "cannot write results to " + results + ": the directory "
                + parent + " does not exist");
        }
        // Writing results over the engine's own files, or over the input being read, destroys them.
        if (FileTree.realOrNormalised(results).startsWith(FileTree.realOrNormalised(directory.directory)))
        {
            throw new UserException(ExitCodes.USAGE, "--results " + results + " is inside the engine directory "
                + directory.directory + ": it would overwrite the engine's own files; write the results elsewhere");
        }
        if (!"-".equals(input) && Files.exists(results) && Files.exists(Path.of(input)) && sameFile(results,
            Path.of(input)))
        {
            throw new UserException(ExitCodes.USAGE, "--results " + results + " is the input file " + input
                + ": writing the results would replace the commands being read; write them elsewhere");
        }
    }

    private static boolean sameFile(final Path a, final Path b)
    {
        try
        {
            return Files.isSameFile(a, b);
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private InputStream openInput() throws IOException
    {
        if ("-".equals(input))
        {
            return new SignalAwareInput(System.in, () -> stopRequested);
        }
        final Path file = Path.of(input);
        if (!Files.exists(file))
        {
            throw new UserException(ExitCodes.NO_INPUT, "input " + file + " does not exist");
        }
        if (Files.isDirectory(file))
        {
            throw new UserException(ExitCodes.NO_INPUT, "input " + file + " is a directory, not a file");
        }
        if (!Files.isReadable(file))
        {
            throw new UserException(ExitCodes.NO_INPUT, "input " + file + " is not readable (permissions)");
        }
        if (!Files.isRegularFile(file))
        {
            // A named pipe or a device can block with nothing to read, as standard input can.
            return new SignalAwareInput(Files.newInputStream(file), () -> stopRequested);
        }
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    private String describeInput()
    {
        return "-".equals(input) ? "standard input" : input;
    }

    /** A bad name is a usage error listing the names allowed, before anything is created. */
    private static JournalRollCycle parseRollCycle(final String name)
    {
        try
        {
            return JournalRollCycle.valueOf(name);
        }
        catch (final IllegalArgumentException e)
        {
            throw new UserException(ExitCodes.USAGE, "--roll-cycle " + name + " is not a roll cycle; use one of "
                + Arrays.stream(JournalRollCycle.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    /**
     * The roll cycle belongs to the directory: a different one on an existing directory is a usage
     * error naming both, where the engine would otherwise fail deep in start-up.
     */
    private JournalRollCycle checkRollCycle(final JournalRollCycle chosen)
    {
        final Optional<JournalRollCycle> recorded = Journal.recordedRollCycle(directory.journal());
        if (recorded.isPresent() && recorded.get() != chosen)
        {
            throw new UserException(ExitCodes.USAGE, "--roll-cycle " + chosen + " differs from the roll cycle "
                + recorded.get() + " the journal in " + directory.directory + " was created with; omit --roll-cycle"
                + " to open it with " + recorded.get());
        }
        return chosen;
    }

    /** Refuses a directory that exists, holds other things and is not an engine directory. */
    private static void checkDirectory(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        if (!Files.isDirectory(dir))
        {
            throw new UserException(ExitCodes.NO_INPUT, dir + " is a file, not an engine directory");
        }
        if (Files.isDirectory(EngineConfig.journalDirectoryOf(dir)))
        {
            return;
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            if (entries.findAny().isPresent())
            {
                throw new UserException(ExitCodes.NO_INPUT, dir + " is not empty and is not a Stockflow engine "
                    + "directory (no journal/ inside); give a new or empty directory, or an existing engine's");
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
