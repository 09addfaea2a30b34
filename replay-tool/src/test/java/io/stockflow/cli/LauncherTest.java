package io.stockflow.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./stockflow} launcher, run on a copy of itself in a scratch tree with a stand-in
 * {@code java} (reports version 17, "runs" any jar) and a stand-in {@code mvn} (records how it
 * was called, then fails): which changes make it rebuild, and that a build whose output is not
 * a terminal is asked for plain text.
 */
class LauncherTest
{
    private static final Instant JAR_TIME = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path root;
    private Path mvnLog;
    private Path probeLog;

    @BeforeEach
    void scratchTree() throws IOException
    {
        root = dir.resolve("repo");
        final Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("stockflow");
        assertTrue(Files.isExecutable(launcher), launcher + " is the launcher");
        Files.createDirectories(root);
        Files.copy(launcher, root.resolve("stockflow"));
        for (final String file : List.of("pom.xml", "engine/pom.xml", "engine/src/main/java/Engine.java",
            "replay-tool/pom.xml", "replay-tool/src/launcher/stockflow-jvm.env", "engine/target/classes/Engine.class"))
        {
            touch(root.resolve(file), JAR_TIME.minusSeconds(60));
        }
        touch(root.resolve("replay-tool/target/stockflow-jvm.env"), JAR_TIME);
        Files.writeString(root.resolve("replay-tool/target/stockflow-jvm.env"),
            "STOCKFLOW_JVM_FLAGS='-Dflag=1'\nSTOCKFLOW_JVM_FLAGS_JDK24='-Djdk24=1'\n");
        touch(root.resolve("replay-tool/target/stockflow.jar"), JAR_TIME);
        mvnLog = dir.resolve("mvn.log");
        script(dir.resolve("bin/mvn"), "echo \"args: $* MAVEN_OPTS: $MAVEN_OPTS\" >> '" + mvnLog + "'\nexit 1\n");
        probeLog = dir.resolve("probe.log");
        script(dir.resolve("jdk/bin/java"), "if [[ \"$1\" == -XshowSettings:properties ]]; then\n"
            + "  echo probed >> '" + probeLog + "'\n"
            + "  echo '    java.specification.version = 17' >&2; exit 0\nfi\necho \"ran: $*\"\n");
    }

    @Test
    void anUpToDateJarRunsWithoutABuild() throws Exception
    {
        final Launch launch = launch();

        assertEquals(0, launch.status, launch.output);
        assertTrue(launch.output.contains("ran: -Dflag=1 -jar " + root.resolve("replay-tool/target/stockflow.jar")),
            launch.output);
        assertFalse(Files.exists(mvnLog));
    }

    @Test
    void aJdkWithoutAReleaseFileIsAskedItsVersion() throws Exception
    {
        final Launch launch = launch();

        assertEquals(0, launch.status, launch.output);
        assertTrue(Files.exists(probeLog), "the launcher asked java for its version");
        assertFalse(launch.output.contains("-Djdk24=1"), launch.output);
    }

    @Test
    void theReleaseFileGivesTheVersionWithoutStartingAJvm() throws Exception
    {
        Files.writeString(dir.resolve("jdk/release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");

        final Launch launch = launch();

        assertEquals(0, launch.status, launch.output);
        assertFalse(Files.exists(probeLog), "no JVM was started to ask the version");
        assertTrue(launch.output.contains("ran: -Dflag=1 -Djdk24=1 -jar"), "Java 25 gets the JDK 24+ flags: "
            + launch.output);
    }

    @Test
    void aJavaOlderThan17IsRefusedWithItsVersion() throws Exception
    {
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"1.8.0_392\"\n");

        final Launch launch = launch();

        assertEquals(69, launch.status, launch.output);
        assertTrue(launch.output.contains("Java 17 or newer is required (found 8 at"), launch.output);
    }

    @Test
    void aChangedModulePomRebuildsWithPlainTextOutput() throws Exception
    {
        touch(root.resolve("engine/pom.xml"), JAR_TIME.plusSeconds(60));

        final Launch launch = launch();

        assertEquals(70, launch.status, launch.output);
        final String build = Files.readString(mvnLog);
        assertTrue(build.contains("-B") && build.contains("-Dstyle.color=never") && build.contains("package"),
            build);
        assertTrue(build.contains("MAVEN_OPTS:") && build.contains("-Djansi.noreset=true"), build);
    }

    @Test
    void aChangedLauncherSourceRebuilds() throws Exception
    {
        touch(root.resolve("replay-tool/src/launcher/stockflow-jvm.env"), JAR_TIME.plusSeconds(60));

        assertEquals(70, launch().status);
        assertTrue(Files.exists(mvnLog));
    }

    @Test
    void aChangedMainSourceRebuilds() throws Exception
    {
        touch(root.resolve("engine/src/main/java/Engine.java"), JAR_TIME.plusSeconds(60));

        assertEquals(70, launch().status);
        assertTrue(Files.exists(mvnLog));
    }

    @Test
    void newerBuildOutputDoesNotRebuild() throws Exception
    {
        touch(root.resolve("engine/target/classes/Engine.class"), JAR_TIME.plusSeconds(60));

        assertEquals(0, launch().status);
        assertFalse(Files.exists(mvnLog));
    }

    /** What one launch did. */
    private static final class Launch
    {
        final int status;
        final String output;

        Launch(final int status, final String output)
        {
            this.status = status;
            this.output = output;
        }
    }

    private Launch launch() throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(root.resolve("stockflow").toString(), "info")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        builder.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().remove("MAVEN_OPTS");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), output);
        return new Launch(process.exitValue(), output);
    }

    private static void touch(final Path file, final Instant time) throws IOException
    {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file))
        {
            Files.createFile(file);
        }
        Files.setLastModifiedTime(file, FileTime.from(time));
    }

    private static void script(final Path file, final String body) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
