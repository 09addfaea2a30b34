package io.stockflow.affinity;

import com.lmax.disruptor.WaitStrategy;

/**
 * A thread made by a {@link PinnedThreadFactory}, carrying its stage's wait strategy so that
 * {@link StageDispatchingWaitStrategy} can find it without a map or thread-local lookup.
 */
final class StageThread extends Thread
{
    private final WaitStrategy waitStrategy;

    StageThread(Runnable work, String name, WaitStrategy waitStrategy)
    {
        super(work, name);
        this.waitStrategy = waitStrategy;
    }

    /**
     * The wait strategy of this thread's stage.
     *
     * @return the strategy, or null for a helper thread that belongs to no stage
     */
    WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }
}
