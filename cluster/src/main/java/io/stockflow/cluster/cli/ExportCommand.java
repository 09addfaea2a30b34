package io.stockflow.cluster.cli;

import io.stockflow.cli.ExitCodes;
import io.stockflow.cli.UserException;
import io.stockflow.cluster.node.NodeLogReader;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.cluster.service.ReplicatedFulfillment;
import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.StockflowEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code cluster export}: the commands a stopped node applied, in log order with the {@code ts} its
 * rules got, published into a new single-node engine directory, so {@code verify}, {@code replay},
 * {@code dump} and {@code state} work on it. The engine computes the event time {@code max(ts,
 * previous)} as the service did, so its state hash is the node's, and the command checks that.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write a stopped node's applied commands as a Stockflow journal in ENGINEDIR.")
final class ExportCommand implements Callable<Integer>
{
    @Option(names = "--dir", required = true, paramLabel = "NODEDIR", description = "The stopped node's directory.")
    private File nodeDirectory;

    @Option(names = "--into", required = true, paramLabel = "ENGINEDIR", description = "A new or empty engine directory.")
    private File engineDirectory;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final String[] existing = engineDirectory.list();
        if (engineDirectory.exists() && (existing == null || existing.length > 0))
        {
            throw new UserException(ExitCodes.NO_INPUT, engineDirectory + " exists and is not an empty directory; "
                + "give a new or empty engine directory");
        }
        final Result result = export(nodeDirectory, engineDirectory);
        final PrintWriter out = spec.commandLine().getOut();
        out.println("exported " + result.commands + " command(s) from " + nodeDirectory + " into " + engineDirectory
            + ": last sequence " + result.lastSequence + ", state hash " + ClusterCommand.hash(result.engineHash));
        if (result.engineHash != result.nodeHash)
        {
            throw new UserException(ExitCodes.INTERNAL,
                "the engine's state hash " + ClusterCommand.hash(result.engineHash)
                    + " differs from the node's " + ClusterCommand.hash(result.nodeHash));
        }
        return 0;
    }

    /** What an export did. */
    record Result(long commands, long lastSequence, long nodeHash, long engineHash)
    {}

    /**
     * @param nodeDirectory   a stopped node's directory.
     * @param engineDirectory a new engine directory.
     * @return the counts and both hashes.
     */
    static Result export(final File nodeDirectory, final File engineDirectory)
    {
        final EngineConfig config = EngineConfig.builder(engineDirectory.toPath()).build();
        try (StockflowEngine engine = StockflowEngine.builder(config).build())
        {
            engine.start();
            final BackpressureRetry retry =
                new BackpressureRetry(engine.publisher(), RetryBackoff.parkNanos(20_000), Duration.ofMinutes(5));
            final long[] published = {0, 0};
            final ReplicatedFulfillment state = new ReplicatedFulfillment(NodeSettings.DEFAULT_IDLE_FORGET_MS,
                NodeSettings.DEFAULT_MAX_CLOCK_AHEAD_MS).appliedListener(
                    (clientId, clientSequence, ts, command, sequence, outcome) ->
                    {
                        final long engineSequence = retry.publish(command, ts);
                        if (engineSequence != sequence)
                        {
                            throw new UserException(ExitCodes.INTERNAL, "the engine gave sequence " + engineSequence
                                + " to the node's sequence " + sequence);
                        }
                        published[0]++;
                        published[1] = sequence;
                    });
            NodeLogReader.read(nodeDirectory, state);
            if (published[1] > 0 && !engine.awaitReleased(published[1], Duration.ofMinutes(10)))
            {
                throw new UserException(ExitCodes.INTERNAL, "the engine stopped before every command was released");
            }
            final long engineHash = engine.query(view -> view.stateHash()).join();
            return new Result(published[0], published[1], state.view().stateHash(), engineHash);
        }
    }
}
