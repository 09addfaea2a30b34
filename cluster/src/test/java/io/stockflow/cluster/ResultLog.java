package io.stockflow.cluster;

import io.stockflow.cluster.client.ClusterResultListener;
import io.stockflow.engine.command.CommandType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Test support: every delivered result by client sequence, counting any second delivery. */
final class ResultLog implements ClusterResultListener
{
    final ConcurrentHashMap<Long, Long> sequenceByClientSequence = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, Integer> outcomeByClientSequence = new ConcurrentHashMap<>();
    final AtomicLong deliveredTwice = new AtomicLong();
    volatile long lastResultNs;

    @Override
    public void onResult(
        final long clientSequence, final long tag, final CommandType type, final long sequence, final int outcome)
    {
        lastResultNs = System.nanoTime();
        outcomeByClientSequence.putIfAbsent(clientSequence, outcome);
        if (sequenceByClientSequence.putIfAbsent(clientSequence, sequence) != null)
        {
            deliveredTwice.incrementAndGet();
        }
    }
}
