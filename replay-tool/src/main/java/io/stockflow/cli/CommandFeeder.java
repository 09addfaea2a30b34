package io.stockflow.cli;

import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.PublishRefusal;
import io.stockflow.engine.command.CommandFields;

import java.util.concurrent.locks.LockSupport;

/**
 * Publishes commands held as data (parsed input lines, journaled records) into an
 * engine for the command line. Unlike a live
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
        return publish(command, command.hasTs() ? command.ts() : CommandPublisher.NOW);
    }

    /**
     * @param command any command's fields.
     * @param ts its event time, or {@link CommandPublisher#NOW}.
     * @return its sequence, or a refusal other than BACKPRESSURE.
     */
    long publish(final CommandFields command, final long ts)
    {
        long result;
        while ((result = publisher.publish(command, ts)) == PublishRefusal.BACKPRESSURE)
        {
            LockSupport.parkNanos(20_000);
        }
        return result;
    }
}
