package io.stockflow.engine;

import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link CountersFromAnotherProcessTest}: runs an engine with its
 * counters file on a directory and publishes a realistic workload, at a modest
 * pace (a millisecond pause every hundred commands, so two cores stay usable and
 * the state stays small), until it is killed.
 *
 * <p>Arguments: engine directory.
 */
public final class CountersChildMain
{
    private CountersChildMain()
    {
    }

    /** @param args engine directory. */
    public static void main(final String[] args)
    {
        final StockflowEngine engine = StockflowEngine.builder(EngineConfig.builder(Paths.get(args[0]))
            .pretouch(false).ringSize(4096).snapshotEveryEvents(0).build()).build();
        engine.start();
        System.out.println("READY " + engine.publisher().nextSequence());
        System.out.flush();
        final WorkloadGenerator generator = new WorkloadGenerator(7, 1_000);
        final GeneratedCommand command = new GeneratedCommand();
        final CommandPublisher publisher = engine.publisher();
        final BackpressureRetry retry = new BackpressureRetry(publisher, RetryBackoff.SPIN, Duration.ofMinutes(1));
        long published = 0;
        while (true)
        {
            generator.next(command);
            final long result = retry.publish(command, CommandPublisher.NOW);
            if (result < 0)
            {
                System.err.println("publish refused: " + PublishRefusal.name(result) + " " + engine.haltReason());
                System.exit(3);
            }
            if (++published % 100 == 0)
            {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
