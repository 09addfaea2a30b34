package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.Stages;
import io.stockflow.affinity.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.stockflow.engine.EngineTestSupport.testConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine tests run once per topology, as two surefire executions of the same classes
 * (engine/pom.xml); this class makes sure the two runs are not one topology twice. Each
 * execution stands for one topology, named here and not taken from the property it sets, so a
 * misconfigured execution or a {@code -Dstockflow.test.pipeline} that overrides both fails:
 * an engine built the way the engine tests build theirs must report that topology in its plan
 * and answer queries on that topology's applying thread. The sources are checked too: every
 * engine test takes its configuration from {@link EngineTestSupport}, where the topology is
 * set, and no test in a package the fused execution skips starts an engine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestedTopologyTest
{
    /** Set by the pom: the id of the surefire execution running this JVM's tests. */
    private static final String EXECUTION_PROPERTY = "stockflow.test.surefireExecution";

    /** Set by the pom: the surefire patterns of the test packages the fused execution skips. */
    private static final String ENGINE_FREE_PACKAGES_PROPERTY = "stockflow.test.engineFreePackages";

    /** The topology each surefire execution of engine/pom.xml stands for. */
    private static final Map<String, Topology> TOPOLOGY_BY_EXECUTION =
        Map.of("default-test", Topology.PARALLEL, "fused-topology", Topology.FUSED);

    /**
     * The test sources that may build an engine configuration without {@link EngineTestSupport}:
     * the support class itself, the reliability trials' child JVM (its trials do not run on the
     * fused execution, see engine/pom.xml) and the soak test (run with -Psoak only).
     */
    private static final Set<String> OWN_CONFIGURATION_ALLOWED = Set.of(
        "io/stockflow/engine/EngineTestSupport.java",
        "io/stockflow/engine/reliability/LoadChildMain.java",
        "io/stockflow/engine/reliability/SoakTest.java");

    private static final Pattern OWN_CONFIGURATION = Pattern.compile("EngineConfig\\s*\\.\\s*builder\\s*\\(");

    private static final Pattern STARTS_AN_ENGINE = Pattern.compile("\\b(StockflowEngine|EngineConfig)\\b");

    @TempDir
    Path directory;

    @Test
    void engineRunsThisExecutionsTopologyOnThatTopologysApplyingThread() throws Exception
    {
        final Topology expected = expectedTopology();
        try (StockflowEngine engine = StockflowEngine.builder(testConfig(directory).build()).build())
        {
            engine.start();
            assertEquals(expected, engine.affinityPlan().topology(), "the topology in the engine's plan");
            final String applyingThread =
                engine.query(state -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            final String applyingStage = expected == Topology.FUSED ? Stages.FUSED : Stages.LOGIC;
            assertTrue(applyingThread.startsWith("stockflow-" + applyingStage + "-"),
                "queries answered on " + applyingThread + ", not on the " + applyingStage + " stage");
        }
    }

    @Test
    void everyEngineTestTakesItsConfigurationFromEngineTestSupport()
    {
        final Path sources = testSources();
        final List<String> offenders = new ArrayList<>();
        for (final Path file : javaFiles(sources))
        {
            final String name = sources.relativize(file).toString().replace('\\', '/');
            if (!OWN_CONFIGURATION_ALLOWED.contains(name) && OWN_CONFIGURATION.matcher(read(file)).find())
            {
                offenders.add(name);
            }
        }
        assertEquals(List.of(), offenders,
            "these build EngineConfig themselves, so their engines ignore the tested topology: use "
                + "EngineTestSupport.testConfig, quietConfig or defaultConfig");
    }

    @Test
    void noTestInAPackageTheFusedExecutionSkipsStartsAnEngine()
    {
        assumeTrue(System.getProperty(EXECUTION_PROPERTY) != null, "the skipped packages are engine/pom.xml's");
        final String patterns = System.getProperty(ENGINE_FREE_PACKAGES_PROPERTY, "").trim();
        assertFalse(patterns.isEmpty(), ENGINE_FREE_PACKAGES_PROPERTY + " is unset: engine/pom.xml passes it");
        final Path sources = testSources();
        final List<String> offenders = new ArrayList<>();
        for (final String pattern : patterns.split(","))
        {
            final String trimmed = pattern.trim();
            assertTrue(trimmed.endsWith("/**"), "not a package pattern: " + trimmed);
            final Path skippedPackage = sources.resolve(trimmed.substring(0, trimmed.length() - "/**".length()));
            assertTrue(Files.isDirectory(skippedPackage), "no such test package: " + skippedPackage);
            for (final Path file : javaFiles(skippedPackage))
            {
                if (STARTS_AN_ENGINE.matcher(read(file)).find())
                {
                    offenders.add(sources.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), offenders,
            "these start an engine but the fused execution skips their package: move them, or take "
                + "their package out of stockflow.test.engineFreePackages in engine/pom.xml");
    }

    /**
     * @return under surefire the topology of this execution (failing if the execution's property
     *         asks for another); else, from an IDE, the property's or the plan's default.
     */
    private static Topology expectedTopology()
    {
        final String execution = System.getProperty(EXECUTION_PROPERTY);
        final Topology asked = EngineTestSupport.testedPipeline() == null ? null
            : EngineTestSupport.testedPipeline().topology();
        if (execution == null)
        {
            final CpuInventory cpus = CpuInventory.detect();
            return asked != null ? asked : AffinityPlanner.resolve(AffinityPlan.defaultFor(cpus), cpus).topology();
        }
        final Topology expected = TOPOLOGY_BY_EXECUTION.get(execution);
        assertTrue(expected != null, "surefire execution " + execution + " stands for no topology: "
            + TOPOLOGY_BY_EXECUTION);
        assertEquals(expected, asked, "surefire execution " + execution + " sets "
            + EngineTestSupport.PIPELINE_PROPERTY + "=" + System.getProperty(EngineTestSupport.PIPELINE_PROPERTY)
            + ", so both executions would run one topology");
        return expected;
    }

    private static Path testSources()
    {
        final Path sources = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/java");
        assertTrue(Files.isDirectory(sources), "the engine's test sources are not at " + sources);
        return sources;
    }

    private static List<Path> javaFiles(final Path root)
    {
        try (Stream<Path> files = Files.walk(root))
        {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
