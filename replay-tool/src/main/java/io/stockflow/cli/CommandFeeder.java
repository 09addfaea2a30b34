package io.stockflow.cli;

import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.PublishRefusal;

import java.util.concurrent.locks.LockSupport;

/**
 * Publishes parsed commands into an engine for the command line. Unlike a live
 * service, a batch feed must not lose commands to load shedding, so a
 * {@code BACKPRESSURE} refusal is retried after a short park until the ring has
 * room; any other refusal ends the feed.
 */
final class CommandFeeder
{
    private final CommandPublisher publisher;

    CommandFeeder(final CommandPublisher publisher)
    {
        this.publisher = publisher;
    }

    /**
     * @param command a parsed command.
     * @return its sequence, or a refusal other than BACKPRESSURE.
     */
    long publish(final ParsedCommand command)
    {
        long result;
        while ((result = publishOnce(command)) == PublishRefusal.BACKPRESSURE)
        {
            LockSupport.parkNanos(20_000);
        }
        return result;
    }

    private long publishOnce(final ParsedCommand command)
    {
        final long ts = command.hasTs() ? command.ts() : CommandPublisher.NOW;
        switch (command.type())
        {
            case RESTOCK:
                return publisher.restock(ts, command.sku(), command.qty());
            case ADJUST:
                return publisher.adjust(ts, command.sku(), command.delta());
            case PLACE:
                final CommandPublisher.PlaceOrder place =
                    publisher.place(ts, command.order(), command.account(), command.ttlMs());
                final int stored = command.storedLineCount();
                for (int i = 0; i < command.lineCount(); i++)
                {
                    if (i < stored)
                    {
                        place.line(command.lineSku(i), command.lineQty(i), command.linePrice(i));
                    }
                    else
                    {
                        // Beyond the stored lines only the count matters: the PLACE is INVALID.
                        place.line(0, 0, 0);
                    }
                }
                return place.publish();
            case CANCEL:
                return publisher.cancel(ts, command.order());
            case SHIP:
                return publisher.ship(ts, command.order());
            case DELIVER:
                return publisher.deliver(ts, command.order());
            case RETURN:
                return publisher.returnOrder(ts, command.order());
            default:
                throw new IllegalStateException("unknown command type " + command.type());
        }
    }
}
