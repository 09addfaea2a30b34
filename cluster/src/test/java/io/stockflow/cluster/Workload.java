package io.stockflow.cluster;

import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.engine.command.CommandType;

/**
 * Test support: a deterministic mix of commands (restocks, places, ships, cancels, deliveries), most
 * without {@code ts} (they get cluster time), some with one; command {@code i} is always the same.
 */
final class Workload
{
    private static final int SKUS = 20;

    private Workload()
    {
    }

    /**
     * Offers command {@code i} (0-based), retrying while the client's queue is full.
     *
     * @return true once offered, false if the client refuses for good.
     */
    static boolean offer(final StockflowClusterClient client, final int i) throws InterruptedException
    {
        while (!tryOffer(client, i))
        {
            if (client.status() == io.stockflow.cluster.client.ClientStatus.CLOSED)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    static boolean tryOffer(final StockflowClusterClient client, final int i)
    {
        if (i < SKUS)
        {
            return client.offerRestock(IngressFormat.NO_TS, i + 1, 100_000, i);
        }
        final long order = i;
        switch (i % 6)
        {
            case 0:
            case 1:
            case 2:
                return client.offerPlace(i % 5 == 0 ? 1_000_000L + i : IngressFormat.NO_TS, order, 7 + i % 3, 0,
                    i % SKUS + 1, 1 + i % 3, 100 + i, i);
            case 3:
                return client.offerOrderCommand(CommandType.SHIP, IngressFormat.NO_TS, i - 3, i);
            case 4:
                return client.offerOrderCommand(CommandType.CANCEL, IngressFormat.NO_TS, i - 3, i);
            default:
                return client.offerOrderCommand(CommandType.DELIVER, IngressFormat.NO_TS, i - 2, i);
        }
    }
}
