package io.stockflow.engine;

import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What the child-JVM mains of the crash, load and counters trials share: map the
 * acknowledgement file, start the engine and tell the parent with one
 * {@code READY <nextSequence>} line on standard output, then publish the realistic
 * workload (engine-clock times, 1,000 SKUs) until the process is killed.
 *
 * <p><b>Threading.</b> The child's main thread: it starts the engine and is the
 * single writer.
 */
public final class ChildEngineMain
{
    /** The line prefix a parent waits for ({@code READY <nextSequence>}). */
    public static final String READY = "READY ";

    private static final int WORKLOAD_SKUS = 1_000;

    private ChildEngineMain()
    {
    }

    /** What a child does when a publish is refused (BACKPRESSURE is retried first). */
    @FunctionalInterface
    public interface RefusalAction
    {
        /**
         * @param engine  the child's engine.
         * @param refusal the {@link PublishRefusal}.
         */
        void onRefused(StockflowEngine engine, long refusal);
    }

    /** Prints the refusal and the halt reason on standard error and exits with status 3. */
    public static final RefusalAction EXIT_3 = (engine, refusal) ->
    {
        System.err.println("publish refused: " + PublishRefusal.name(refusal) + " " + engine.haltReason());
        System.exit(3);
    };

    /**
     * @param file  the acknowledgement file, created if missing.
     * @param bytes its size.
     * @return the file mapped read-write (shared: stores survive kill -9 of this process).
     * @throws IOException if it cannot be mapped.
     */
    public static MappedByteBuffer mapAckFile(final Path file, final long bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        }
    }

    /**
     * Starts the engine (recovery included) and prints {@code READY <nextSequence>}.
     *
     * @param engine the built engine.
     * @return the started engine.
     */
    public static StockflowEngine startAndSignalReady(final StockflowEngine engine)
    {
        engine.start();
        System.out.println(READY + engine.publisher().nextSequence());
        System.out.flush();
        return engine;
    }

    /**
     * Publishes the workload of {@code seed} forever, retrying BACKPRESSURE.
     *
     * @param engine     the started engine.
     * @param seed       the workload's seed.
     * @param pauseEvery park a millisecond after this many commands (0: never), to leave CPUs to others.
     * @param onRefused  what to do on any other refusal; the loop goes on if it returns.
     */
    public static void publishUntilKilled(
        final StockflowEngine engine, final long seed, final int pauseEvery, final RefusalAction onRefused)
    {
        publishWhile(engine, seed, pauseEvery, () -> true, onRefused);
    }

    /**
     * Publishes the workload of {@code seed} while {@code goOn} says so, retrying BACKPRESSURE.
     *
     * @param engine     the started engine.
     * @param seed       the workload's seed.
     * @param pauseEvery park a millisecond after this many commands (0: never), to leave CPUs to others.
     * @param goOn       asked before every command; the loop returns once it answers false.
     * @param onRefused  what to do on any other refusal; the loop goes on if it returns.
     */
    public static void publishWhile(final StockflowEngine engine, final long seed, final int pauseEvery,
        final BooleanSupplier goOn, final RefusalAction onRefused)
    {
        final WorkloadGenerator generator = new WorkloadGenerator(seed, WORKLOAD_SKUS);
        final GeneratedCommand command = new GeneratedCommand();
        final BackpressureRetry retry =
            new BackpressureRetry(engine.publisher(), RetryBackoff.forPlan(engine.affinityPlan()),
                Duration.ofMinutes(1));
        long published = 0;
        while (goOn.getAsBoolean())
        {
            generator.next(command);
            final long result = retry.publish(command, CommandPublisher.NOW);
            if (result < 0)
            {
                onRefused.onRefused(engine, result);
            }
            if (pauseEvery > 0 && ++published % pauseEvery == 0)
            {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
