package io.stockflow.engine;

import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.journal.Durability;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The child JVM of {@link CrashTrialTest}: recovers an engine on a directory, then
 * publishes a realistic workload until it is killed. Every released outcome is
 * written to a memory-mapped acknowledgement file as one little-endian long
 * {@code sequence << 8 | (result code + 1)}, in release order: stores into a
 * shared mapping are in the page cache at once, so they survive kill -9 of this
 * process exactly like an acknowledgement sent to a client would have left it.
 *
 * <p>Arguments: engine directory, acknowledgement file, seed, durability, the parent's tested topology
 * ({@link EngineTestSupport#testedPipelineArgument()}).
 */
public final class CrashChildMain
{
    /** Capacity of the acknowledgement file in outcomes. */
    static final int ACK_CAPACITY = 4 << 20;

    private CrashChildMain()
    {
    }

    /**
     * @param args engine directory, acknowledgement file, seed, durability, tested topology.
     * @throws IOException if the acknowledgement file cannot be mapped.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path directory = Paths.get(args[0]);
        final Path ackFile = Paths.get(args[1]);
        final long seed = Long.parseLong(args[2]);
        final Durability durability = Durability.valueOf(args[3]);
        EngineTestSupport.takeTestedPipelineFromParent(args[4]);
        final MappedByteBuffer acks = ChildEngineMain.mapAckFile(ackFile, (long)ACK_CAPACITY * Long.BYTES);
        acks.order(ByteOrder.LITTLE_ENDIAN);
        final OutcomeListener recorder = new OutcomeListener()
        {
            private int index;

            @Override
            public void onResult(final long sequence, final long eventTimeMs, final CommandType type,
                final long entityId, final RejectReason rejectReason, final boolean logicError)
            {
                if (index < ACK_CAPACITY)
                {
                    final int code = EngineTestSupport.outcomeCode(rejectReason, logicError);
                    acks.putLong(index++ * Long.BYTES, sequence << 8 | (code + 1));
                }
            }
        };
        final StockflowEngine engine = ChildEngineMain.startAndSignalReady(StockflowEngine.builder(EngineTestSupport
            .testConfig(directory).durability(durability).ringSize(4096).snapshotEveryEvents(20_000)
            .snapshotsRetained(2).build()).outcomeListener(recorder).build());
        ChildEngineMain.publishUntilKilled(engine, seed, 0, ChildEngineMain.EXIT_3);
    }
}
