package io.stockflow.engine.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The counts of the reliability suite for the README's "Guarantees" section.
 * Each suite writes its own section to {@code target/reliability/<suite>.txt}
 * when it ends; every write then regenerates {@code target/reliability-summary.txt}
 * from all sections present, so the summary holds the latest figures of every
 * suite that ran, whichever ran last and in whichever fork.
 */
final class ReliabilitySummary
{
    private static final Path TARGET = Paths.get(System.getProperty("stockflow.reliabilityReportDir", "target"));

    private final String suite;
    private final Map<String, Long> counts = new TreeMap<>();

    ReliabilitySummary(final String suite)
    {
        this.suite = suite;
    }

    /** Adds {@code delta} to the named count; thread-safe. */
    synchronized void add(final String name, final long delta)
    {
        counts.merge(name, delta, Long::sum);
    }

    synchronized long get(final String name)
    {
        return counts.getOrDefault(name, 0L);
    }

    /** Writes this suite's section and regenerates the whole summary file. */
    synchronized void write()
    {
        final StringBuilder section = new StringBuilder();
        section.append("[").append(suite).append("] ").append(Instant.now()).append('\n');
        counts.forEach((name, value) -> section.append(String.format("  %-58s %12d%n", name, value)));
        try
        {
            final Path sections = Files.createDirectories(TARGET.resolve("reliability"));
            Files.writeString(sections.resolve(suite + ".txt"), section.toString(), StandardCharsets.UTF_8);
            final StringBuilder summary = new StringBuilder("Stockflow reliability suite: latest counts per suite\n\n");
            try (Stream<Path> files = Files.list(sections))
            {
                for (final Path file : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".txt"))
                    .sorted()::iterator)
                {
                    summary.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
                }
            }
            Files.writeString(TARGET.resolve("reliability-summary.txt"), summary.toString(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the reliability summary: " + e.getMessage(), e);
        }
        System.out.print(section);
    }
}
