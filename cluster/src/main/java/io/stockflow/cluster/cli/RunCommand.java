package io.stockflow.cluster.cli;

import io.stockflow.cli.ExitCodes;
import io.stockflow.cli.UserException;
import io.stockflow.cli.text.CommandFormatException;
import io.stockflow.cli.text.JsonLinesCommandReader;
import io.stockflow.cli.text.JsonLinesWriter;
import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.rules.Outcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cluster run}: JSON Lines commands (the format of {@code stockflow run}) through a
 * {@link StockflowClusterClient}, one result line per command in input order (which is this client's
 * log order), a summary, and the exit codes of {@code run}: 65 at a format error (the commands before
 * it are applied and answered) and 75 when the commands could not be settled for lack of a quorum.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Feed JSON Lines commands to the cluster, wait for every result.")
final class RunCommand implements Callable<Integer>
{
    @Option(names = "--members", required = true, paramLabel = "SPEC", description = "COUNT@HOST:BASEPORT.")
    private MembersSpec members;

    @Option(names = {"--input",
        "-i"}, required = true, paramLabel = "FILE|-", description = "JSON Lines commands; - for standard input.")
    private String input;

    @Option(names = {"--results", "-r"}, paramLabel = "FILE", description = "Write one JSON result per command here.")
    private Path results;

    @Option(names = "--timeout-s", defaultValue = "60", paramLabel = "S", description = "How long to wait for a quorum to settle every command. Default: ${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final long clientId = new SecureRandom().nextLong() & Long.MAX_VALUE;
        try (JsonLinesCommandReader reader = new JsonLinesCommandReader(openInput());
            OutputStream resultStream = results == null ? OutputStream.nullOutputStream()
                : new BufferedOutputStream(Files.newOutputStream(results), 1 << 16))
        {
            final Tally tally = new Tally(new JsonLinesWriter(resultStream));
            CommandFormatException formatError = null;
            final ParsedCommand command = new ParsedCommand();
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, clientId, tally::onResult, 1 << 22,
                    Duration.ofSeconds(Math.max(1, Math.min(5, timeoutSeconds / 2)))))
            {
                try
                {
                    while (reader.next(command))
                    {
                        final long tag = command.type() == CommandType.RESTOCK || command.type() == CommandType.ADJUST
                            ? command.sku() : command.order();
                        while (!client.publisher().offer(command, command.hasTs() ? command.ts() : IngressFormat.NO_TS,
                            tag))
                        {
                            Thread.sleep(1);
                        }
                    }
                }
                catch (final CommandFormatException ex)
                {
                    formatError = ex;
                }
                if (!client.awaitSettled(Duration.ofSeconds(timeoutSeconds)))
                {
                    throw new UserException(ExitCodes.TEMP_FAIL, (client.offered() - client.delivered())
                        + " command(s) not settled after " + timeoutSeconds + " s, " + client.inDoubt()
                        + " of them in doubt (sent, neither lost nor done): " + client.statusReason());
                }
            }
            tally.writer.flush();
            if (tally.failure != null)
            {
                throw tally.failure;
            }
            out.println(tally.commands + " command(s): " + tally.accepted + " accepted, " + tally.rejected
                + " rejected, " + tally.refused + " refused (ts too far ahead of cluster time); last sequence "
                + tally.lastSequence);
            if (formatError != null)
            {
                err.println("stockflow cluster run: " + describeInput() + ": " + formatError.getMessage()
                    + "; input stopped there, the " + tally.commands + " command(s) before it are applied");
                return ExitCodes.DATA_ERROR;
            }
            if (tally.refused > 0)
            {
                err.println("stockflow cluster run: " + tally.refused + " command(s) refused: their ts was more than "
                    + "1 day ahead of the cluster time; they were not applied and have no result line");
                return ExitCodes.DATA_ERROR;
            }
            return 0;
        }
    }

    private InputStream openInput() throws IOException
    {
        if ("-".equals(input))
        {
            return new BufferedInputStream(System.in, 1 << 16);
        }
        final Path file = Path.of(input);
        if (!Files.isRegularFile(file))
        {
            throw new UserException(ExitCodes.NO_INPUT, "input " + file + " does not exist or is not a file");
        }
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    private String describeInput()
    {
        return "-".equals(input) ? "standard input" : input;
    }

    /** Counts and writes the results, on the client's drain thread. */
    private static final class Tally
    {
        final JsonLinesWriter writer;
        long commands;
        long accepted;
        long rejected;
        long refused;
        long lastSequence;
        IOException failure;

        Tally(final JsonLinesWriter writer)
        {
            this.writer = writer;
        }

        void onResult(final long clientSequence, final long tag, final CommandType type, final long sequence,
            final int outcome)
        {
            commands++;
            if (outcome < 0)
            {
                refused++;
                return;
            }
            lastSequence = Math.max(lastSequence, sequence);
            final RejectReason reason = Outcome.rejectReason(outcome);
            if (reason == null)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
            try
            {
                writer.writeResult(sequence, type, tag, reason);
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }
    }
}
