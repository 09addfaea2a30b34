package io.stockflow.perf.report;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.EffectiveStage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a figure was measured on, recorded beside it in every report: CPU model and
 * count, operating system, JVM version and flags, the affinity plan with each stage's
 * CPU and wait strategy, the date, and anything a harness adds (durability, roll cycle).
 * Figures from a shared 2-core VM mean little without it.
 */
public final class Environment
{
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Environment()
    {
    }

    /** @return the machine and JVM this process runs on; add the plan with {@link #plan}. */
    public static Environment capture()
    {
        final Environment environment = new Environment();
        environment.values.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT
            .withZone(ZoneOffset.UTC)));
        environment.values.put("cpu_model", cpuModel());
        environment.values.put("cpu_count", Runtime.getRuntime().availableProcessors());
        environment.values.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        environment.values.put("jvm_version", System.getProperty("java.vm.vendor") + " "
            + System.getProperty("java.vm.name") + " " + Runtime.version());
        environment.values.put("jvm_flags", List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        environment.values.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return environment;
    }

    /**
     * Records an affinity plan under {@code key}: mode, source and, per stage, the CPU asked,
     * the CPUs obtained and the effective wait strategy.
     *
     * @param key  e.g. {@code affinity_plan}.
     * @param plan the effective plan the run used.
     * @return this.
     */
    public Environment plan(final String key, final EffectivePlan plan)
    {
        values.put(key, describe(plan));
        return this;
    }

    /**
     * @param key   a name.
     * @param value a string, number, boolean, list or map.
     * @return this.
     */
    public Environment put(final String key, final Object value)
    {
        values.put(key, value);
        return this;
    }

    /** @return the recorded values, in insertion order. */
    public Map<String, Object> values()
    {
        return values;
    }

    /**
     * @param plan an effective plan.
     * @return mode, source, topology and every running stage's CPU and wait strategy, as a JSON-ready tree.
     */
    public static Map<String, Object> describe(final EffectivePlan plan)
    {
        final Map<String, Object> description = new LinkedHashMap<>();
        description.put("mode", plan.mode().fileName());
        description.put("source", plan.source());
        description.put("topology", plan.topology().fileName());
        description.put("topology_reason", plan.topologyReason());
        final Map<String, Object> stages = new LinkedHashMap<>();
        for (final EffectiveStage stage : plan.runningStages())
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("cpu_asked", stage.cpuAsked().isPresent() ? Integer.toString(stage.cpuAsked().getAsInt()) : "none");
            row.put("cpu_obtained", stage.cpusObtained().map(Object::toString).orElse("not started"));
            row.put("wait", stage.waitEffective().fileName());
            row.put("nice_asked", stage.niceAsked());
            stage.niceObtained().ifPresent(nice -> row.put("nice_obtained", nice));
            final List<String> reasons = new ArrayList<>(stage.fallbackReasons());
            if (!reasons.isEmpty())
            {
                row.put("fallback", reasons);
            }
            stages.put(stage.stage(), row);
        }
        description.put("stages", stages);
        return description;
    }

    /**
     * @param plan an effective plan.
     * @return one line: the topology, then each running stage's CPU and wait, e.g.
     *         {@code topology=parallel journal=any/sleeping logic=...}.
     */
    public static String oneLine(final EffectivePlan plan)
    {
        final StringBuilder line = new StringBuilder("topology=").append(plan.topology().fileName());
        for (final EffectiveStage stage : plan.runningStages())
        {
            line.append(' ');
            line.append(stage.stage()).append('=')
                .append(stage.cpuPlanned().isPresent() ? "cpu" + stage.cpuPlanned().getAsInt() : "any")
                .append('/').append(stage.waitEffective().fileName());
        }
        return line.toString();
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            return System.getProperty("os.arch") + " (no /proc/cpuinfo: " + e.getMessage() + ")";
        }
        return System.getProperty("os.arch");
    }
}
