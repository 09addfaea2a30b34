package io.stockflow.engine.reliability;

import io.stockflow.engine.EngineConfig;
import io.stockflow.journal.Durability;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.testing.ChildJvm;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * I/O errors injected by {@code strace} into an {@code OS_CRASH} engine's journal in a child JVM:
 * the {@code N}th {@code fdatasync} of the cycle file fails with EIO. The engine must halt
 * fail-stop (publishers get {@code ENGINE_HALTED}, the reason names the call and the file), release
 * nothing the journal does not hold, and the directory must reopen with every released outcome. A
 * trial whose strace output shows no {@code (INJECTED)} line tested nothing and fails. Needs
 * {@code strace}; skipped with the reason without it.
 */
@Slow
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JournalIoErrorTrialTest
{
    private static final ReliabilitySummary SUMMARY = new ReliabilitySummary("io-error-trials");

    @TempDir
    Path directory;

    @AfterAll
    static void writeSummary()
    {
        SUMMARY.write();
    }

    @Test
    void aFailedFdatasyncHaltsTheEngineFailStopAndTheDirectoryReopensWithEveryReleasedOutcome() throws Exception
    {
        assumeStrace();
        final int[] failAt = {3, 40, 200};
        for (int trial = 0; trial < failAt.length; trial++)
        {
            final Path engineDirectory = directory.resolve("engine-" + trial);
            final Path cycleFile = currentHourlyCycleFile(engineDirectory);
            final Path straceOutput = directory.resolve("strace-" + trial + ".txt");
            final Path ackFile = directory.resolve("acks-" + trial);
            final String context =
                "I/O error trial " + trial + " (fdatasync " + failAt[trial] + " of " + cycleFile + ")";
            final String halted;
            try (ChildJvm child = ChildJvm.startUnder(List.of("strace", "-f", "--seccomp-bpf", "-qq", "-o",
                straceOutput.toString(), "-e", "trace=fdatasync", "-e",
                "inject=fdatasync:error=EIO:when=" + failAt[trial], "-P", cycleFile.toString()), true,
                LoadChildMain.class, "load", engineDirectory.toString(), ackFile.toString(), Long.toString(trial),
                Durability.OS_CRASH.name(), "0", JournalRollCycle.HOURLY.name(), "false"))
            {
                child.awaitLine("READY ", 60);
                halted = child.awaitLine("HALTED ", 120);
                assertTrue(child.waitForExit(60) == 0, context + ": the child closed the halted engine: "
                    + child.stderrText());
            }
            final String trace = Files.readString(straceOutput, StandardCharsets.UTF_8);
            assertTrue(trace.contains("(INJECTED)"), context + ": strace injected the error: " + trace);
            assertTrue(halted.startsWith("HALTED ENGINE_HALTED"), context + ": publishers refused: " + halted);
            assertTrue(halted.contains("fdatasync of " + cycleFile), context + ": names the call and file: " + halted);
            final AfterCrashChecks.CheckResult result =
                AfterCrashChecks.checkAfterKill(SUMMARY, engineDirectory, JournalRollCycle.HOURLY, ackFile, context);
            SUMMARY.add("fdatasync EIO injections, engine halted fail-stop", 1);
            System.out.printf("%s: halted (%s), %d released outcomes all journaled%n", context, halted,
                result.acknowledged);
        }
    }

    private static void assumeStrace() throws IOException, InterruptedException
    {
        final Process probe = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start();
        final boolean ok = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        Assumptions.assumeTrue(ok, "I/O error trials need strace to inject errors");
    }

    /* The file an HOURLY journal appends to this hour (Chronicle's yyyyMMdd-HH'F' naming, UTC). */
    private static Path currentHourlyCycleFile(final Path engineDirectory)
    {
        final LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        if (now.getMinute() == 59 && now.getSecond() > 30)
        {
            Assumptions.abort("too close to an hour boundary to predict the cycle file's name");
        }
        return EngineConfig.journalDirectoryOf(engineDirectory).toAbsolutePath()
            .resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HH")) + "F.cq4");
    }
}
