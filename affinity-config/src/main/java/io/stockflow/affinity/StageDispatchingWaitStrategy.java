package io.stockflow.affinity;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.util.List;

/**
 * One ring-buffer wait strategy that gives each stage its own: a Disruptor takes a single
 * {@link WaitStrategy} for every barrier of the ring, so per-stage strategies need a dispatcher.
 *
 * <p>{@link #waitFor} delegates to the strategy of the calling {@link StageThread}; a thread not
 * made by a plan's factory waits with {@link com.lmax.disruptor.SleepingWaitStrategy}, which
 * needs no signal and does not hold a CPU. {@link #signalAllWhenBlocking()} (called on every
 * publish and on every barrier alert, so halting wakes blocked stages) signals only the blocking
 * stages' strategies: the others have nothing to wake.
 */
final class StageDispatchingWaitStrategy implements WaitStrategy
{
    private final WaitStrategy[] blockingStrategies;
    private final WaitStrategy otherThreads = WaitStrategyKind.SLEEPING.newWaitStrategy();

    StageDispatchingWaitStrategy(List<WaitStrategy> blockingStrategies)
    {
        this.blockingStrategies = blockingStrategies.toArray(new WaitStrategy[0]);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException, InterruptedException, TimeoutException
    {
        Thread current = Thread.currentThread();
        WaitStrategy strategy = current instanceof StageThread ? ((StageThread)current).waitStrategy() : null;
        return (strategy == null ? otherThreads : strategy).waitFor(sequence, cursor, dependentSequence, barrier);
    }

    @Override
    public void signalAllWhenBlocking()
    {
        for (WaitStrategy strategy : blockingStrategies)
        {
            strategy.signalAllWhenBlocking();
        }
    }
}
