package io.stockflow.cli;

import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.snapshot.SnapshotSource;
import picocli.CommandLine;

import java.time.Duration;

/**
 * {@code stockflow run}'s snapshot flags, {@code --snapshot-every N}, {@code --snapshot-interval DURATION}
 * and {@code --snapshot-source shadow|live}, checked in one place before anything is read or created
 * (a refusal is a picocli {@link CommandLine.ParameterException}: one line, exit 64). They are how the
 * engine runs, not what the directory records: each run may choose them anew, and a snapshot from
 * either source restores the same way. Public because {@code stockflow bench} takes
 * {@code --snapshot-source} with the same names.
 *
 * @param everyEvents a snapshot after this many commands (0: never by count).
 * @param interval    a snapshot once this much time has passed since the last (zero: never by time).
 * @param source      where the snapshots come from.
 */
public record SnapshotFlags(long everyEvents, Duration interval, SnapshotSource source)
{
    /** The names {@code --snapshot-source} takes. */
    public enum SourceName
    {
        /** {@link SnapshotSource#SHADOW_STATE}. */
        shadow(SnapshotSource.SHADOW_STATE),
        /** {@link SnapshotSource#LIVE_STATE}. */
        live(SnapshotSource.LIVE_STATE);

        private final SnapshotSource source;

        SourceName(final SnapshotSource source)
        {
            this.source = source;
        }

        /** @return the engine's snapshot source of this name. */
        public SnapshotSource source()
        {
            return source;
        }
    }

    /**
     * @param commandLine the command whose flags these are, for the usage error.
     * @param everyEvents {@code --snapshot-every}, or null for the default.
     * @param interval    {@code --snapshot-interval} as typed, or null for never by time.
     * @param source      {@code --snapshot-source}, or null for the shadow state.
     * @return the checked flags.
     * @throws CommandLine.ParameterException (exit 64) naming the flag and what it takes.
     */
    public static SnapshotFlags parse(final CommandLine commandLine, final Long everyEvents, final String interval,
        final SourceName source)
    {
        if (everyEvents != null && everyEvents < 0)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--snapshot-every must be 0 (never by count) or a number of commands, was " + everyEvents);
        }
        final Duration every;
        try
        {
            every = interval == null ? Duration.ZERO
                : Duration.ofMillis(RuleFlags.durationMs("--snapshot-interval", interval));
        }
        catch (final UserException e)
        {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        return new SnapshotFlags(everyEvents == null ? EngineConfig.DEFAULT_SNAPSHOT_EVERY_EVENTS : everyEvents, every,
            (source == null ? SourceName.shadow : source).source());
    }

    /**
     * @param builder the engine's configuration.
     * @return the builder, with these snapshot settings.
     */
    public EngineConfig.Builder applyTo(final EngineConfig.Builder builder)
    {
        return builder.snapshotEveryEvents(everyEvents).snapshotEveryInterval(interval).snapshotSource(source);
    }
}
