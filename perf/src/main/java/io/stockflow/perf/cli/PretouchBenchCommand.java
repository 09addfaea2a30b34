package io.stockflow.perf.cli;

import io.stockflow.perf.harness.PretouchRun;
import io.stockflow.perf.harness.TempDirectory;
import io.stockflow.perf.report.Environment;
import io.stockflow.perf.report.Histograms;
import io.stockflow.perf.report.JsonWriter;
import io.stockflow.perf.report.LatencySummary;
import io.stockflow.perf.report.PercentilePlot;
import io.stockflow.perf.report.PercentileTable;
import io.stockflow.perf.report.Spread;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench pretouch}: journal append latency up to the maximum, across a roll-over
 * every second, with the journal's pretoucher on and off, alternating over
 * {@code --runs} rounds in one process; reports the worst-case ratio (goal: pretouch cuts
 * the worst append by 5x or more).
 */
@Command(name = "pretouch", mixinStandardHelpOptions = true, description = "Journal append latency across roll-overs with pretouch on vs off, same run.")
public final class PretouchBenchCommand implements Callable<Integer>
{
    @Option(names = "--rate", defaultValue = "50000", paramLabel = "N", description = "Appends per second. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--seconds", defaultValue = "6", paramLabel = "S", description = "Seconds per side and round (one roll-over per second). Default: ${DEFAULT-VALUE}.")
    private long seconds;

    @Option(names = "--payload", defaultValue = "256", paramLabel = "BYTES", description = "Payload size. Default: ${DEFAULT-VALUE}.")
    private int payloadBytes;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "K", description = "Rounds of off then on. Default: ${DEFAULT-VALUE}.")
    private int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write {\"rate\":..,\"seconds\":..,\"payload_bytes\":..,\"on\":P,\"off\":P,"
        + "\"worst_case_ratio\":..,\"env\":{...}}.")
    private Path json;

    @Option(names = "--out", defaultValue = BenchOutput.DEFAULT_DIRECTORY, paramLabel = "DIR", description = "Directory for the .hgrm files and the SVG plot. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Where the scratch journals go (deleted after).")
    private Path scratch;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        if (rate < 1 || seconds < 2 || payloadBytes < 1 || runs < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "need --rate >= 1, --seconds >= 2 (to cross roll-overs), --payload >= 1, --runs >= 1");
        }
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "pretouch: %,d appends/s of %d bytes, %d s per side (a roll-over a second), %d"
            + " round(s)%n", rate, payloadBytes, seconds, runs);
        final Histogram on = Histograms.nanos();
        final Histogram off = Histograms.nanos();
        final double[] onMax = new double[runs];
        final double[] offMax = new double[runs];
        long files = 0;
        for (int round = 0; round < runs; round++)
        {
            final PretouchRun.Result withoutPretouch = side(false);
            final PretouchRun.Result withPretouch = side(true);
            off.add(withoutPretouch.append());
            on.add(withPretouch.append());
            offMax[round] = withoutPretouch.append().getMaxValue() / 1000.0;
            onMax[round] = withPretouch.append().getMaxValue() / 1000.0;
            files = Math.min(withoutPretouch.files(), withPretouch.files());
            stdout.printf(Locale.ROOT, "round %d: worst append off %s µs, on %s µs (%d files each)%n", round + 1,
                PercentileTable.micros(offMax[round]), PercentileTable.micros(onMax[round]), files);
            stdout.flush();
        }
        final LatencySummary onSummary = LatencySummary.of(on);
        final LatencySummary offSummary = LatencySummary.of(off);
        stdout.print(new PercentileTable()
            .add("append, pretouch off", offSummary)
            .add("append, pretouch on", onSummary)
            .render());
        final Spread offWorst = Spread.of(offMax);
        final Spread onWorst = Spread.of(onMax);
        final double ratio = offWorst.median() / onWorst.median();
        stdout.printf(Locale.ROOT, "worst append, median of rounds: off %s µs, on %s µs: ratio %.1fx (goal >= 5x);"
            + " p99.99 ratio %.1fx%n", offWorst.format("%.1f"), onWorst.format("%.1f"), ratio,
            offSummary.p9999Micros() / onSummary.p9999Micros());
        Files.createDirectories(out);
        Histograms.writeHgrm(off, out.resolve("pretouch-off.hgrm"));
        Histograms.writeHgrm(on, out.resolve("pretouch-on.hgrm"));
        new PercentilePlot(String.format(Locale.ROOT, "Journal append latency across roll-overs, %,d/s, %d B", rate,
            payloadBytes)).add("pretouch off", off).add("pretouch on", on).writeTo(out.resolve("pretouch.svg"));
        stdout.println("wrote " + out.resolve("pretouch-*.hgrm") + " and " + out.resolve("pretouch.svg"));
        if (json != null)
        {
            final JsonWriter writer = new JsonWriter().beginObject()
                .field("rate", rate)
                .field("seconds", seconds)
                .field("payload_bytes", payloadBytes);
            onSummary.writeTo(writer.name("on"));
            offSummary.writeTo(writer.name("off"));
            writer.field("worst_case_ratio", ratio)
                .name("env").tree(Environment.capture().put("runs", runs).put("files_per_side", files).values());
            Files.writeString(json, writer.endObject() + "\n", StandardCharsets.UTF_8);
            stdout.println("wrote " + json);
        }
        return ExitCodes.OK;
    }

    private PretouchRun.Result side(final boolean pretouch)
    {
        try (TempDirectory directory = TempDirectory.create(scratch, "stockflow-bench-pretouch"))
        {
            return PretouchRun.run(pretouch, rate, seconds, payloadBytes, directory.path());
        }
    }
}
