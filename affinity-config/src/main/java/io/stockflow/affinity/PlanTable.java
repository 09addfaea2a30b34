package io.stockflow.affinity;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders an {@link EffectivePlan} as a fixed-width text table. Column widths fit the widest
 * cell so the table lines up whatever the stage names and reasons; the reason column is last
 * and never cut, because it is the one an operator needs whole.
 */
final class PlanTable
{
    private static final List<String> HEADER =
        List.of("STAGE", "CPU ASKED", "CPU OBTAINED", "WAIT ASKED", "WAIT EFFECTIVE", "NICE ASKED", "NICE OBTAINED",
            "FALLBACK REASON");
    private static final String GAP = "  ";

    private PlanTable()
    {
    }

    static String render(EffectivePlan plan)
    {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (EffectiveStage stage : plan.runningStages())
        {
            List<String> reasons = stage.fallbackReasons();
            rows.add(List.of(
                stage.stage(),
                stage.cpuAsked().isPresent() ? Integer.toString(stage.cpuAsked().getAsInt()) : "none",
                obtained(stage),
                stage.waitAsked().fileName(),
                stage.waitEffective().fileName(),
                "+" + stage.niceAsked(),
                niceObtained(stage),
                reasons.isEmpty() ? "-" : String.join("; ", reasons)));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows)
        {
            for (int column = 0; column < widths.length; column++)
            {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("affinity plan: mode ").append(plan.mode().fileName())
            .append(", from ").append(plan.source())
            .append(", topology ").append(plan.topology().fileName()).append(" (").append(plan.topologyReason())
            .append(")\n")
            .append("cpus: ").append(plan.cpus().describe()).append('\n')
            .append("helper threads (sampler, archiver): unpinned, nice +").append(plan.helperNice())
            .append(" (the snapshot stage's)\n");
        for (List<String> row : rows)
        {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < widths.length; column++)
            {
                String cell = row.get(column);
                line.append(cell);
                if (column < widths.length - 1)
                {
                    line.append(" ".repeat(widths[column] - cell.length())).append(GAP);
                }
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String niceObtained(EffectiveStage stage)
    {
        List<ThreadBinding> bindings = stage.bindings();
        if (bindings.isEmpty())
        {
            return "not started";
        }
        return bindings.stream()
            .map(binding -> binding.niceObtained().isPresent() ? Integer.toString(binding.niceObtained().getAsInt())
                : "unknown")
            .collect(Collectors.joining(" "));
    }

    private static String obtained(EffectiveStage stage)
    {
        List<ThreadBinding> bindings = stage.bindings();
        if (bindings.isEmpty())
        {
            return "not started";
        }
        return bindings.stream().map(binding -> binding.cpusObtained().toString()).collect(Collectors.joining(" "));
    }
}
