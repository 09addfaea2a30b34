package io.stockflow.cluster.node;

import io.stockflow.journal.JvmFlags;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A member run as a child JVM ({@code cluster node}), for the demo and the kill tests: started with
 * this JVM's class path and the build's JVM flags, killed with {@code kill -9}
 * ({@link #kill()}) or stopped with SIGTERM ({@link #stop()}), its state read from the node's
 * {@value StockflowClusterNode#STATE_FILE}.
 */
public final class NodeProcess
{
    private final MembersSpec members;
    private final int memberId;
    private final File directory;
    private final File log;
    private Process process;

    /**
     * @param members   the cluster.
     * @param memberId  this member.
     * @param directory its directory.
     * @param log       where its output goes (appended).
     */
    public NodeProcess(final MembersSpec members, final int memberId, final File directory, final File log)
    {
        this.members = members;
        this.memberId = memberId;
        this.directory = directory;
        this.log = log;
    }

    /**
     * Starts the child JVM.
     *
     * @param snapshotLogBytes the node's snapshot policy.
     * @param nodeOptions      more {@code cluster node} options (the rule parameter flags, say).
     * @throws IOException if it cannot be started.
     */
    public void start(final long snapshotLogBytes, final String... nodeOptions) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JvmFlags.forCurrentJvm());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.stockflow.cluster.cli.ClusterCommand");
        command.add("node");
        command.add("--id=" + memberId);
        command.add("--members=" + members);
        command.add("--dir=" + directory.getPath());
        command.add("--snapshot-log-bytes=" + snapshotLogBytes);
        command.addAll(List.of(nodeOptions));
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    /** @return true if the child runs. */
    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** @return the member id. */
    public int memberId()
    {
        return memberId;
    }

    /** @return the node's directory. */
    public File directory()
    {
        return directory;
    }

    /**
     * {@code kill -9} and wait for the process to be gone.
     *
     * @throws InterruptedException if interrupted.
     */
    public void kill() throws InterruptedException
    {
        if (process != null)
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM (an orderly close), then {@code kill -9} after 15 s.
     *
     * @throws InterruptedException if interrupted.
     */
    public void stop() throws InterruptedException
    {
        if (process != null && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS))
            {
                kill();
            }
        }
    }

    /**
     * @return the node's last written state ({@code logPosition}, {@code lastSequence},
     *         {@code stateHash}, {@code restoredFromSnapshot}, {@code snapshotPosition}), empty if none
     *         yet.
     */
    public Properties state()
    {
        final Properties state = new Properties();
        final Path file = directory.toPath().resolve(StockflowClusterNode.STATE_FILE);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            state.load(in);
        }
        catch (final IOException ex)
        {
            // Not written yet (or being replaced): no state.
        }
        return state;
    }

    /** @return the member's counters. */
    public NodeCounters counters()
    {
        return NodeCounters.read(members.aeronDirectory(memberId));
    }
}
