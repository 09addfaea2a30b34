package io.stockflow.engine;

import io.stockflow.engine.rules.ExpiryListener;

/**
 * The rules' expiry listener, re-pointed once: to the replayer during recovery,
 * then to the logic stage before the stage threads start (thread start orders
 * the write before the logic thread's reads).
 */
final class ExpiryRelay implements ExpiryListener
{
    private ExpiryListener target = ExpiryListener.NONE;

    void target(final ExpiryListener target)
    {
        this.target = target;
    }

    @Override
    public void onExpired(final long orderId)
    {
        target.onExpired(orderId);
    }
}
