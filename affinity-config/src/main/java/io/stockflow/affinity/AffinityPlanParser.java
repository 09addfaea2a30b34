package io.stockflow.affinity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Reads the plan file format: one {@code key = value} per line, {@code #} or {@code !} starts a
 * comment (anywhere on a line), blank lines ignored. Keys: {@code mode},
 * {@code topology} and {@code stage.<name>.cpu} / {@code stage.<name>.wait} / {@code stage.<name>.nice}. Collects every error with its line
 * number before failing, so one run shows all mistakes. Not thread-safe; one parse per instance.
 */
final class AffinityPlanParser
{
    private static final String STAGE_PREFIX = "stage.";

    private final String sourceName;
    private final List<LineError> errors = new ArrayList<>();
    private final Map<String, Integer> lineOfKey = new HashMap<>();
    private final Map<String, Map<Property, String>> stageValues = new HashMap<>();
    private final Map<String, Map<Property, Integer>> stageLines = new HashMap<>();
    private AffinityMode mode = DefaultPlanPolicy.DEFAULT_MODE;
    private Optional<Topology> topology = Optional.empty();

    private enum Property
    {
        CPU,
        WAIT,
        NICE
    }

    private record LineError(int lineNumber, String message)
    {}

    AffinityPlanParser(String sourceName)
    {
        this.sourceName = sourceName;
    }

    AffinityPlan parse(Reader reader) throws IOException
    {
        BufferedReader lines = new BufferedReader(reader);
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            lineNumber++;
            parseLine(stripComment(line).trim(), lineNumber);
        }
        List<StagePlan> stages = new ArrayList<>();
        for (String stage : Stages.all())
        {
            if (stageValues.containsKey(stage))
            {
                toStagePlan(stage).ifPresent(stages::add);
            }
        }
        if (!errors.isEmpty())
        {
            throw new AffinityPlanException("invalid affinity plan " + sourceName, errors.stream()
                .sorted(Comparator.comparingInt(LineError::lineNumber))
                .map(error -> sourceName + ":" + error.lineNumber() + ": " + error.message())
                .collect(Collectors.toList()));
        }
        return AffinityPlan.of(mode, topology, stages, sourceName);
    }

    private static String stripComment(String line)
    {
        int hash = line.indexOf('#');
        int bang = line.indexOf('!');
        int cut = hash < 0 ? bang : bang < 0 ? hash : Math.min(hash, bang);
        return cut < 0 ? line : line.substring(0, cut);
    }

    private void parseLine(String line, int lineNumber)
    {
        if (line.isEmpty())
        {
            return;
        }
        int equals = line.indexOf('=');
        if (equals < 0)
        {
            error(lineNumber, "expected 'key = value' but found '" + line + "'");
            return;
        }
        String key = line.substring(0, equals).trim();
        String value = line.substring(equals + 1).trim();
        Integer firstLine = lineOfKey.putIfAbsent(key, lineNumber);
        if (firstLine != null)
        {
            error(lineNumber, "duplicate key '" + key + "' (first set on line " + firstLine + ")");
            return;
        }
        if (key.equals("mode"))
        {
            parseMode(value, lineNumber);
        }
        else if (key.equals("topology"))
        {
            parseTopology(value, lineNumber);
        }
        else if (key.startsWith(STAGE_PREFIX))
        {
            parseStageKey(key, value, lineNumber);
        }
        else
        {
            error(lineNumber,
                "unknown key '" + key + "' (expected mode, topology, stage.<stage>.cpu, stage.<stage>.wait or "
                    + "stage.<stage>.nice)");
        }
    }

    private void parseMode(String value, int lineNumber)
    {
        AffinityMode.fromFileName(value).ifPresentOrElse(
            parsed -> mode = parsed,
            () -> error(lineNumber, "unknown mode '" + value + "' (expected " + AffinityMode.fileNames() + ")"));
    }

    private void parseTopology(String value, int lineNumber)
    {
        Topology.fromFileName(value).ifPresentOrElse(
            parsed -> topology = Optional.of(parsed),
            () -> error(lineNumber, "unknown topology '" + value + "' (expected " + Topology.fileNames() + ")"));
    }

    private void parseStageKey(String key, String value, int lineNumber)
    {
        String rest = key.substring(STAGE_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot < 0)
        {
            error(lineNumber,
                "unknown key '" + key + "' (expected stage.<stage>.cpu, stage.<stage>.wait or stage.<stage>.nice)");
            return;
        }
        String stage = rest.substring(0, dot);
        String propertyName = rest.substring(dot + 1);
        if (!Stages.isKnown(stage))
        {
            error(lineNumber, "unknown stage '" + stage + "' in key '" + key + "' (known stages: "
                + String.join(", ", Stages.all()) + ")");
            return;
        }
        Property property;
        if (propertyName.equals("cpu"))
        {
            property = Property.CPU;
        }
        else if (propertyName.equals("wait"))
        {
            property = Property.WAIT;
        }
        else if (propertyName.equals("nice"))
        {
            property = Property.NICE;
        }
        else
        {
            error(lineNumber, "unknown key '" + key + "' (a stage takes only .cpu, .wait and .nice)");
            return;
        }
        stageValues.computeIfAbsent(stage, s -> new EnumMap<>(Property.class)).put(property, value);
        stageLines.computeIfAbsent(stage, s -> new EnumMap<>(Property.class)).put(property, lineNumber);
    }

    private Optional<StagePlan> toStagePlan(String stage)
    {
        Map<Property, String> values = stageValues.get(stage);
        Map<Property, Integer> lines = stageLines.get(stage);
        OptionalInt cpu = OptionalInt.empty();
        boolean valid = true;
        if (values.containsKey(Property.CPU))
        {
            String text = values.get(Property.CPU);
            int lineNumber = lines.get(Property.CPU);
            if (!text.equalsIgnoreCase("none"))
            {
                try
                {
                    int parsed = Integer.parseInt(text);
                    if (parsed < 0)
                    {
                        throw new NumberFormatException(text);
                    }
                    cpu = OptionalInt.of(parsed);
                }
                catch (NumberFormatException e)
                {
                    error(lineNumber, "bad CPU '" + text + "' for stage " + stage
                        + " (expected a CPU number such as 1, or none)");
                    valid = false;
                }
            }
        }
        WaitStrategyKind wait = DefaultPlanPolicy.UNLISTED_STAGE_WAIT;
        if (values.containsKey(Property.WAIT))
        {
            String text = values.get(Property.WAIT);
            Optional<WaitStrategyKind> parsed = WaitStrategyKind.fromFileName(text);
            if (parsed.isPresent())
            {
                wait = parsed.get();
            }
            else
            {
                error(lines.get(Property.WAIT), "unknown wait strategy '" + text + "' for stage " + stage
                    + " (expected " + WaitStrategyKind.fileNames() + ")");
                valid = false;
            }
        }
        int nice = StagePlan.MIN_NICE;
        if (values.containsKey(Property.NICE))
        {
            OptionalInt parsed = parseNice(values.get(Property.NICE), stage, lines.get(Property.NICE));
            valid &= parsed.isPresent();
            nice = parsed.orElse(StagePlan.MIN_NICE);
        }
        return valid ? Optional.of(new StagePlan(stage, cpu, wait, nice)) : Optional.empty();
    }

    private OptionalInt parseNice(String text, String stage, int lineNumber)
    {
        int nice;
        try
        {
            nice = Integer.parseInt(text);
        }
        catch (NumberFormatException e)
        {
            error(lineNumber, "bad nice '" + text + "' for stage " + stage + " (expected a whole number from "
                + StagePlan.MIN_NICE + " to " + ThreadNice.MAX_NICE + ")");
            return OptionalInt.empty();
        }
        if (nice < StagePlan.MIN_NICE)
        {
            error(lineNumber, "nice " + nice + " for stage " + stage + " is negative: raising a thread's priority "
                + "needs privileges, so a plan may only lower it (0 to " + ThreadNice.MAX_NICE + ")");
            return OptionalInt.empty();
        }
        if (nice > ThreadNice.MAX_NICE)
        {
            error(lineNumber, "nice " + nice + " for stage " + stage + " is above " + ThreadNice.MAX_NICE
                + ", the lowest priority Linux gives (expected 0 to " + ThreadNice.MAX_NICE + ")");
            return OptionalInt.empty();
        }
        return OptionalInt.of(nice);
    }

    private void error(int lineNumber, String message)
    {
        errors.add(new LineError(lineNumber, message));
    }
}
