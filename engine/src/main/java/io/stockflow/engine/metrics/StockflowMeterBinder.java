package io.stockflow.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.EngineCounter;

import java.util.Locale;

/**
 * Exposes an engine's counters to a Micrometer registry (Prometheus and others)
 * in two lines:
 *
 * <pre>
 *   engine.start();
 *   new StockflowMeterBinder(engine.counters(), "orders").bindTo(registry);
 * </pre>
 *
 * <p>Meters read the counters file's values when the registry is scraped: the
 * engine's hot path does nothing extra. Counts become {@link FunctionCounter}s
 * ({@code stockflow.logic.accepted}, ...), levels and sequences
 * ({@link EngineCounter#isLevel()}) become {@link Gauge}s
 * ({@code stockflow.journal.lag}, ...), each tagged {@code engine=<name>}.
 * micrometer-core is an optional dependency of the engine: only a service that
 * uses this class needs it on its class path.
 */
public final class StockflowMeterBinder implements MeterBinder
{
    private final CountersFile counters;
    private final Tags tags;

    /**
     * @param counters   the engine's counters ({@code engine.counters()} after start).
     * @param engineName the value of the {@code engine} tag, to tell engines in one service apart.
     */
    public StockflowMeterBinder(final CountersFile counters, final String engineName)
    {
        this.counters = counters;
        this.tags = Tags.of(Tag.of("engine", engineName));
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        for (final EngineCounter counter : EngineCounter.values())
        {
            final String name = meterName(counter);
            if (counter.isLevel())
            {
                Gauge.builder(name, counters, c -> c.get(counter))
                    .description(counter.description())
                    .tags(tags)
                    .register(registry);
            }
            else
            {
                FunctionCounter.builder(name, counters, c -> c.get(counter))
                    .description(counter.description())
                    .tags(tags)
                    .register(registry);
            }
        }
    }

    /**
     * @param counter an engine counter.
     * @return its meter name, e.g. {@code stockflow.logic.rejected.insufficient.stock}.
     */
    public static String meterName(final EngineCounter counter)
    {
        String local = counter.name().toLowerCase(Locale.ROOT);
        final String ownerPrefix = counter.owner() + "_";
        if (local.startsWith(ownerPrefix))
        {
            local = local.substring(ownerPrefix.length());
        }
        return "stockflow." + counter.owner() + "." + local.replace('_', '.');
    }
}
