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
import io.stockflow.engine.command.CommandView;
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
 * previous)} as the service did, under the parameters of the node's log (its parameters record
 * becomes the journal's), so its state hash is the node's, and the command checks that.
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
        try (Exporter exporter = new Exporter(engineDirectory))
        {
            final ReplicatedFulfillment state = new ReplicatedFulfillment(NodeSettings.DEFAULT_MAX_CLOCK_AHEAD_MS)
                .parametersListener(exporter::open).appliedListener(exporter::publish);
            NodeLogReader.read(nodeDirectory, state);
            return exporter.finish(state.view().stateHash());
        }
    }

    /**
     * The engine directory, created when the log says with which parameters: the parameters record
     * that begins a cluster's log becomes the journal's parameters record (no sequence, as in the
     * cluster); a log without one (or an empty log) runs under the fresh rules' 0, 0, 0, so the
     * journal begins with those. The commands are journaled with the {@code ts} the node's rules got
     * and no clock-ahead bound: the cluster admitted them against its own clock already.
     */
    private static final class Exporter implements AutoCloseable
    {
        private final File directory;
        private StockflowEngine engine;
        private BackpressureRetry retry;
        private long commands;
        private long lastSequence;

        Exporter(final File directory)
        {
            this.directory = directory;
        }

        void open(final long retentionMs, final long orderCapacity, final long skuCapacity)
        {
            if (engine != null)
            {
                throw new UserException(ExitCodes.DATA_ERROR, "the node's log has a parameters record after its "
                    + "first command");
            }
            final EngineConfig config = EngineConfig.builder(directory.toPath())
                .ruleParameters(retentionMs, orderCapacity, skuCapacity).maxClockAheadMs(0).build();
            engine = StockflowEngine.builder(config).build();
            engine.start();
            retry = new BackpressureRetry(engine.publisher(), RetryBackoff.parkNanos(20_000), Duration.ofMinutes(5));
        }

        void publish(final long clientId, final long clientSequence, final long ts, final CommandView command,
            final long sequence, final int outcome)
        {
            if (engine == null)
            {
                open(0, 0, 0);
            }
            final long engineSequence = retry.publish(command, ts);
            if (engineSequence != sequence)
            {
                throw new UserException(ExitCodes.INTERNAL, "the engine gave sequence " + engineSequence
                    + " to the node's sequence " + sequence);
            }
            commands++;
            lastSequence = sequence;
        }

        Result finish(final long nodeHash)
        {
            if (engine == null)
            {
                open(0, 0, 0);
            }
            if (lastSequence > 0 && !engine.awaitReleased(lastSequence, Duration.ofMinutes(10)))
            {
                throw new UserException(ExitCodes.INTERNAL, "the engine stopped before every command was released");
            }
            final long engineHash = engine.query(view -> view.stateHash()).join();
            return new Result(commands, lastSequence, nodeHash, engineHash);
        }

        @Override
        public void close()
        {
            if (engine != null)
            {
                engine.close();
            }
        }
    }
}
