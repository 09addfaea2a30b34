package io.stockflow.cli;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanException;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.EffectivePlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stockflow affinity}: validates an affinity plan against the CPUs this
 * process may use, without starting an engine, and prints the effective plan.
 */
@Command(name = "affinity", mixinStandardHelpOptions = true, description = {
    "Validate an affinity plan (or show the default for this machine) and print the effective "
        + "plan. Exit 0 when valid, 65 with the reasons when not (also when a best-effort plan would need "
        + "fallbacks: the table shows them).",
    "Example plan: example-affinity.properties in affinity-config/src/main/resources/io/stockflow/affinity/."})
final class AffinityCommand implements Callable<Integer>
{
    @Option(names = "--plan", paramLabel = "FILE", description = "The plan file; without it, the default plan.")
    private Path planFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final CpuInventory cpus = CpuInventory.detect();
        try
        {
            final AffinityPlan plan = loadPlan(planFile, cpus);
            final EffectivePlan effective = AffinityPlanner.resolve(plan, cpus);
            out.print(effective.toTable());
            out.flush();
            final List<String> fallbacks = effective.fallbackReasons();
            if (fallbacks.isEmpty())
            {
                return ExitCodes.OK;
            }
            // best-effort: the engine would start with these fallbacks, but the plan as written is not valid.
            err.println("stockflow affinity: plan " + planFile + " is not valid as written; in best-effort mode "
                + "the engine would start with the fallbacks above:");
            for (final String reason : fallbacks)
            {
                err.println("  " + reason);
            }
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
        catch (final AffinityPlanException e)
        {
            err.println("stockflow affinity: " + ErrorReporter.summaryOf(e) + ":");
            for (final String reason : e.reasons())
            {
                err.println("  " + reason);
            }
            err.flush();
            return ExitCodes.DATA_ERROR;
        }
    }

    /**
     * @param planFile a plan file or null.
     * @param cpus     this machine's CPUs.
     * @return the parsed plan, or the machine's default.
     * @throws IOException when the file cannot be read.
     */
    static AffinityPlan loadPlan(final Path planFile, final CpuInventory cpus) throws IOException
    {
        if (planFile == null)
        {
            return AffinityPlan.defaultFor(cpus);
        }
        if (!Files.isRegularFile(planFile))
        {
            throw new UserException(ExitCodes.NO_INPUT, "plan file " + planFile + " does not exist");
        }
        return AffinityPlan.parse(planFile);
    }
}
