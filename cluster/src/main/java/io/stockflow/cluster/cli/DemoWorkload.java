package io.stockflow.cluster.cli;

import io.stockflow.cluster.client.ClientStatus;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.engine.command.CommandType;

/**
 * The demo's and the tests' workload: a deterministic mix of commands (restocks, places, ships, cancels, deliveries), most
 * without {@code ts} (they get cluster time), some with one; command {@code i} is always the same.
 */
public final class DemoWorkload
{
    private static final int SKUS = 20;

    private DemoWorkload()
    {
    }

    /**
     * Offers command {@code i} (0-based), retrying while the client's queue is full.
     *
     * @param client the client.
     * @param i      the command's index.
     * @return true once offered, false if the client is closed.
     * @throws InterruptedException if interrupted while waiting for room.
     */
    public static boolean offer(final StockflowClusterClient client, final int i) throws InterruptedException
    {
        while (!tryOffer(client, i))
        {
            if (client.status() == ClientStatus.CLOSED)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * @param client the client.
     * @param i      the command's index.
     * @return false if the client's queue is full.
     */
    public static boolean tryOffer(final StockflowClusterClient client, final int i)
    {
        if (i < SKUS)
        {
            return client.publisher().offerRestock(IngressFormat.NO_TS, i + 1, 100_000, i);
        }
        final long order = i;
        switch (i % 6)
        {
            case 0:
            case 1:
            case 2:
                return client.publisher().offerPlace(i % 5 == 0 ? 1_000_000L + i : IngressFormat.NO_TS, order,
                    7 + i % 3, 0,
                    i % SKUS + 1, 1 + i % 3, 100 + i, i);
            case 3:
                return client.publisher().offerOrderCommand(CommandType.SHIP, IngressFormat.NO_TS, i - 3, i);
            case 4:
                return client.publisher().offerOrderCommand(CommandType.CANCEL, IngressFormat.NO_TS, i - 3, i);
            default:
                return client.publisher().offerOrderCommand(CommandType.DELIVER, IngressFormat.NO_TS, i - 2, i);
        }
    }
}
