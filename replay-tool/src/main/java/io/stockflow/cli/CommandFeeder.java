package io.stockflow.cli;

import io.stockflow.cli.text.ParsedCommand;
import io.stockflow.engine.BackpressureRetry;
import io.stockflow.engine.CommandPublisher;
import io.stockflow.engine.RetryBackoff;
import io.stockflow.engine.command.CommandFields;

import java.time.Duration;

/**
 * Publishes commands held as data (parsed input lines, journaled records) into an
 * engine for the command line. Unlike a live service, a batch feed must not lose
 * commands to load shedding, so a {@code BACKPRESSURE} refusal is retried after a
 * short park (the command line shares the machine with the stages) until the ring
 * has room, for up to {@link #BACKPRESSURE_TIMEOUT} per command; any other refusal
 * ends the feed. The publisher's owner thread only.
 */
final class CommandFeeder
{
    /** How long one command may be refused with BACKPRESSURE before the feed gives up. */
    static final Duration BACKPRESSURE_TIMEOUT = Duration.ofMinutes(5);

    private static final long PARK_NANOS = 20_000;

    private final BackpressureRetry retry;

    CommandFeeder(final CommandPublisher publisher)
    {
        this.retry = new BackpressureRetry(publisher, RetryBackoff.parkNanos(PARK_NANOS), BACKPRESSURE_TIMEOUT);
    }

    /**
     * @param command a parsed command.
     * @return its sequence, or a refusal (BACKPRESSURE only after {@link #BACKPRESSURE_TIMEOUT}).
     */
    long publish(final ParsedCommand command)
    {
        return publish(command, command.hasTs() ? command.ts() : CommandPublisher.NOW);
    }

    /**
     * @param command any command's fields.
     * @param ts its event time, or {@link CommandPublisher#NOW}.
     * @return its sequence, or a refusal (BACKPRESSURE only after {@link #BACKPRESSURE_TIMEOUT}).
     */
    long publish(final CommandFields command, final long ts)
    {
        return retry.publish(command, ts);
    }
}
