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
        return publisher.publish(command, command.hasTs() ? command.ts() : CommandPublisher.NOW);
    }
}
