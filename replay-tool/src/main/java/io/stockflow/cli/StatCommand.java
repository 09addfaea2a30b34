package io.stockflow.cli;

import io.stockflow.engine.counters.CountersLayout;
import io.stockflow.engine.counters.CountersReader;
import io.stockflow.engine.counters.EngineCounter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code stockflow stat}: the engine's counters, read from its memory-mapped
 * counters file by another process, live or after a crash (post-mortem), without
 * pausing or disturbing the engine.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the engine's live counters (from DIR/counters.dat), or the last values after it stopped.")
final class StatCommand implements Callable<Integer>
{
    @Mixin
    private EngineDirectory directory;

    @Option(names = "--watch", paramLabel = "SECONDS", description = "Print again every SECONDS, with rates.")
    private double watchSeconds;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
        description = "With --watch, stop after N samples (default: until interrupted).")
    private int samples;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        directory.existing();
        final PrintWriter out = spec.commandLine().getOut();
        final Path file = directory.directory.resolve(CountersLayout.FILE_NAME);
        final CountersReader reader = new CountersReader(file);
        CountersReader.Sample previous = null;
        long previousNanos = 0;
        int printed = 0;
        while (true)
        {
            final CountersReader.Sample sample;
            try
            {
                sample = reader.read();
            }
            catch (final NoSuchFileException e)
            {
                throw new UserException(ExitCodes.NO_INPUT, "no counters in " + directory.directory
                    + ": no engine has run there yet (the file " + CountersLayout.FILE_NAME + " is missing)");
            }
            catch (final IllegalArgumentException e)
            {
                throw new UserException(ExitCodes.DATA_ERROR, e.getMessage());
            }
            final long now = System.nanoTime();
            print(out, sample, previous, (now - previousNanos) / 1e9);
            out.flush();
            printed++;
            if (watchSeconds <= 0 || (samples > 0 && printed >= samples))
            {
                return ExitCodes.OK;
            }
            previous = sample;
            previousNanos = now;
            TimeUnit.MILLISECONDS.sleep((long)(watchSeconds * 1000));
        }
    }

    private static void print(
        final PrintWriter out, final CountersReader.Sample sample, final CountersReader.Sample previous,
        final double seconds)
    {
        final String status = sample.closedCleanly() ? "stopped cleanly"
            : sample.writerAlive() ? "running"
            : "process no longer alive: these are its last values (post-mortem)";
        out.printf("engine pid %d, started %s, %s%n", sample.pid(), Instant.ofEpochMilli(sample.startTimeMs()),
            status);
        out.printf("%-10s %-30s %20s%s  %s%n", "STAGE", "COUNTER", "VALUE", previous == null ? "" : "          /s",
            "MEANING");
        for (final EngineCounter counter : EngineCounter.values())
        {
            final long value = sample.get(counter);
            final String rate = previous == null ? ""
                : String.format("%12.0f", (value - previous.get(counter)) / Math.max(1e-9, seconds));
            out.printf("%-10s %-30s %,20d%s  %s%n", counter.owner(), counter.name().toLowerCase(), value, rate,
                counter.description());
        }
        out.println();
    }
}
