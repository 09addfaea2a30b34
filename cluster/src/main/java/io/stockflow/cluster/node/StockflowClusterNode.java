package io.stockflow.cluster.node;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchiveTool;
import io.aeron.archive.checksum.Checksums;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.MillisecondClusterClock;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.stockflow.cli.ExitCodes;
import io.stockflow.cluster.service.ReplicatedFulfillment;
import io.stockflow.cluster.service.StockflowClusteredService;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One cluster member in this JVM: a {@link ClusteredMediaDriver} (media driver, archive, consensus
 * module) and a {@link ClusteredServiceContainer} hosting {@link StockflowClusteredService}, sized
 * for a small loopback cluster on few cores (shared driver and archive threads, 64 KiB terms, a
 * 256 KiB log term, sparse files, back-off idling: about 6 threads and 11 MB of /dev/shm per node).
 *
 * <p>Before launching it checks what an operator gets wrong: the directory must be new, empty, or
 * this member's own (a {@value #MARKER} names the members spec and the id), no live process may
 * hold it ({@value #PID_FILE}), and this member's five ports must be free. After a {@code kill -9}
 * the archive and cluster mark files look active for 10 s; when the recorded process is dead they
 * are removed so the node restarts at once.
 *
 * <p>{@link #poll()} (the owning thread, every ~100 ms) asks for a snapshot through the control
 * toggle when this member leads and the log grew by the configured length since the latest snapshot
 * (the service's, the same position on every member, so a new leader goes on counting from it), or
 * the configured time passed while it grew, and writes
 * {@value #STATE_FILE} (log position, last sequence, state hash, whether the service started from a
 * snapshot and the latest snapshot's position) for tools and tests. A member whose service refused
 * its latest snapshot at start (another format or command schema version) is reported by
 * {@link #poll()} as bad data, in one sentence: the error handler is given neither the refusal nor
 * what follows from it (the service container and the consensus module stop).
 */
public final class StockflowClusterNode implements AutoCloseable
{
    /** The file that makes a directory this member's. */
    public static final String MARKER = "stockflow-cluster-node.properties";
    /** The pid of the process running the node. */
    public static final String PID_FILE = "node.pid";
    /** The service's last published position, sequence and hash. */
    public static final String STATE_FILE = "service-state.properties";
    private static final String[] STALE_MARK_FILES = {"archive/archive-mark.dat", "cluster/cluster-mark.dat",
        "cluster/cluster-mark-service-0.dat"};
    private static final String LOCAL_ARCHIVE_CHANNEL = "aeron:ipc?term-length=64k";

    private final NodeSettings settings;
    private final StockflowClusteredService service;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final ConsensusModule.Context consensusContext;
    private final String archiveRepair;
    private long requestedAtPosition;
    private long lastSnapshotNs = System.nanoTime();
    private long writtenPosition = -1;

    private StockflowClusterNode(final NodeSettings settings, final ErrorHandler printer)
    {
        final ErrorHandler errorHandler = error ->
        {
            if (!snapshotRefused())
            {
                printer.onError(error);
            }
        };
        this.settings = settings;
        final File dir = settings.directory();
        final boolean cleanStart = prepareDirectory(settings);
        service = new StockflowClusteredService(new ReplicatedFulfillment(settings.maxClockAheadMs()),
            settings.retentionMs(), settings.orderCapacity(), settings.skuCapacity());
        ClusteredMediaDriver launched = null;
        ConsensusModule.Context consensus = null;
        String repair = null;
        try
        {
            try
            {
                consensus = consensusContext(settings, cleanStart, errorHandler);
                launched = launchDriver(settings, cleanStart, consensus, errorHandler);
            }
            catch (final ArchiveException ex)
            {
                if (cleanStart || !isTornLastFragment(ex))
                {
                    throw ex;
                }
                repair = truncateTornLastFragments(new File(dir, "archive"));
                consensus = consensusContext(settings, false, errorHandler);
                launched = launchDriver(settings, false, consensus, errorHandler);
            }
            final String aeronDir = settings.members().aeronDirectory(settings.memberId()).getPath();
            container = ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                .aeronDirectoryName(aeronDir).archiveContext(localArchive(aeronDir))
                .clusterDir(new File(dir, "cluster"))
                .clusteredService(service).idleStrategySupplier(BackoffIdleStrategy::new).errorHandler(errorHandler));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(launched);
            throw ex;
        }
        driver = launched;
        consensusContext = consensus;
        archiveRepair = repair;
        writeMarker(settings);
    }

    /*
     * The media driver, archive and consensus module, on fresh contexts each time (a context is concluded
     * once). The archive records every fragment with its CRC32C in the header's session id field (a replay
     * writes the replay's own session id back), so that at a restart Aeron can tell a complete last fragment
     * that straddles a page boundary from one the kill cut short: without the checksum it takes a last page
     * that happens to hold zeros for a torn write and refuses to start.
     */
    private static ClusteredMediaDriver launchDriver(final NodeSettings settings, final boolean cleanStart,
        final ConsensusModule.Context consensusContext, final ErrorHandler errorHandler)
    {
        final MembersSpec members = settings.members();
        final int id = settings.memberId();
        final String aeronDir = members.aeronDirectory(id).getPath();
        final String host = members.host();
        final MediaDriver.Context driverContext = new MediaDriver.Context().aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(true).publicationTermBufferLength(64 * 1024).ipcTermBufferLength(256 * 1024)
            .counterValuesBufferLength(1024 * 1024).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
            .errorHandler(errorHandler);
        final Archive.Context archiveContext = new Archive.Context().aeronDirectoryName(aeronDir).archiveId(id)
            .archiveDir(new File(settings.directory(), "archive")).deleteArchiveOnStart(cleanStart)
            .controlChannel("aeron:udp?endpoint=" + members.endpoint(id, MembersSpec.ARCHIVE))
            .localControlChannel(LOCAL_ARCHIVE_CHANNEL).replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveClientContext(
                new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .recordingEventsEnabled(false).threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(BackoffIdleStrategy::new).segmentFileLength(8 * 1024 * 1024)
            .recordChecksum(Checksums.crc32c()).errorHandler(errorHandler);
        return ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
    }

    private static ConsensusModule.Context consensusContext(final NodeSettings settings, final boolean cleanStart,
        final ErrorHandler errorHandler)
    {
        final MembersSpec members = settings.members();
        final int id = settings.memberId();
        final String host = members.host();
        final long heartbeatNs = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatTimeoutMs());
        return new ConsensusModule.Context().clusterMemberId(id).clusterMembers(members.aeronMembers())
            .clusterDir(new File(settings.directory(), "cluster")).deleteDirOnStart(cleanStart)
            .ingressChannel("aeron:udp?term-length=64k").logChannel("aeron:udp?term-length=256k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveContext(localArchive(members.aeronDirectory(id).getPath()))
            .clusterClock(new MillisecondClusterClock()).leaderHeartbeatTimeoutNs(heartbeatNs)
            .leaderHeartbeatIntervalNs(Math.max(TimeUnit.MILLISECONDS.toNanos(20), heartbeatNs / 10))
            .startupCanvassTimeoutNs(2 * heartbeatNs).electionTimeoutNs(heartbeatNs / 2)
            .electionStatusIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)).sessionTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .terminationTimeoutNs(heartbeatNs).idleStrategySupplier(BackoffIdleStrategy::new)
            .errorHandler(errorHandler);
    }

    /* The archive client of the consensus module and of the service container: the local archive over IPC. */
    private static AeronArchive.Context localArchive(final String aeronDir)
    {
        return new AeronArchive.Context().lock(NoOpLock.INSTANCE).controlRequestChannel(LOCAL_ARCHIVE_CHANNEL)
            .controlRequestStreamId(AeronArchive.Configuration.localControlStreamId())
            .controlResponseChannel(LOCAL_ARCHIVE_CHANNEL).aeronDirectoryName(aeronDir);
    }

    /* Aeron's refusal to start on a recording whose last fragment may have been cut by the crash. */
    static boolean isTornLastFragment(final ArchiveException ex)
    {
        return ex.getMessage() != null && ex.getMessage().contains("straddling page boundary");
    }

    /*
     * A recording that was live when the process died ends in a fragment straddling a page boundary whose
     * CRC32C does not match and whose last page holds only zeros: the write that the kill interrupted. The
     * archive had not counted it in its recorded position, so this member never acknowledged it and the
     * consensus module never committed it here. Aeron's own ArchiveTool verify removes it (the remedy its
     * message names); a recording that fails any other check is reported and left to the operator. In an
     * archive recorded before the checksum was on, a complete last fragment with a zero tail cannot be told
     * from a torn one and is removed too: the member then catches up on it from the leader, as any member
     * behind does.
     */
    private static String truncateTornLastFragments(final File archiveDir)
    {
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final List<String> truncated = new ArrayList<>();
        final boolean verified;
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8))
        {
            verified = ArchiveTool.verify(out, archiveDir, EnumSet.noneOf(ArchiveTool.VerifyOption.class),
                "CRC-32C", file ->
                {
                    truncated.add(file.getName());
                    return true;
                });
        }
        if (!verified)
        {
            throw new NodeStartException(ExitCodes.DATA_ERROR, "cannot start on " + archiveDir.getParentFile()
                + ": its archive failed Aeron's verification after a crash: "
                + report.toString(StandardCharsets.UTF_8).strip().replace('\n', ';'));
        }
        new File(archiveDir, "archive-mark.dat").delete();
        if (truncated.isEmpty())
        {
            return "verified " + archiveDir + " after a crash: nothing to remove";
        }
        return "removed the last fragment of " + String.join(", ", truncated) + " in " + archiveDir
            + ": the crash cut it short, so this member had never acknowledged it";
    }

    /**
     * Checks and launches a member.
     *
     * @param settings     what to start.
     * @param errorHandler receives Aeron's errors (the default prints them).
     * @return the running member.
     * @throws NodeStartException for a foreign directory, a port in use, a directory in use.
     */
    public static StockflowClusterNode launch(final NodeSettings settings, final ErrorHandler errorHandler)
    {
        settings.members().checkMember(settings.memberId());
        return new StockflowClusterNode(settings, errorHandler);
    }

    /**
     * @return what the start repaired in the archive after a crash (a torn last fragment removed), or null if
     *         nothing.
     */
    public String archiveRepair()
    {
        return archiveRepair;
    }

    /** @return the hosted service (its published figures may be read from any thread). */
    public StockflowClusteredService service()
    {
        return service;
    }

    /** @return what this member was started with. */
    public NodeSettings settings()
    {
        return settings;
    }

    /** @return true if this member is the leader now. */
    public boolean isLeader()
    {
        return consensusContext.clusterNodeRoleCounter().get() == Cluster.Role.LEADER.code();
    }

    /** @return the commit position this member knows. */
    public long commitPosition()
    {
        return consensusContext.commitPositionCounter().get();
    }

    /**
     * Asks the consensus module for a snapshot now (only a leader acts on it).
     *
     * @return false if another control action is in progress.
     */
    public boolean requestSnapshot()
    {
        return ClusterControl.ToggleState.SNAPSHOT.toggle(consensusContext.controlToggleCounter());
    }

    /**
     * The owning thread's periodic work: the snapshot policy and the state file.
     *
     * @return true if a snapshot was requested.
     * @throws NodeStartException (bad data) if the service refused the latest snapshot at start (another
     *                            format or command schema version, or corrupt bytes): the member cannot
     *                            run without its state, so the caller closes it.
     */
    public boolean poll()
    {
        final String refused = service.refusedSnapshot();
        if (refused != null)
        {
            throw new NodeStartException(ExitCodes.DATA_ERROR, "cannot start on " + settings.directory()
                + ": its latest cluster snapshot was refused: " + refused);
        }
        writeStateFile();
        if (!isLeader())
        {
            lastSnapshotNs = System.nanoTime();
            return false;
        }
        final long grown = commitPosition() - Math.max(service.snapshotPosition(), requestedAtPosition);
        final boolean byLength = settings.snapshotLogBytes() > 0 && grown >= settings.snapshotLogBytes();
        final boolean byTime = settings.snapshotIntervalMs() > 0 && grown > 0
            && System.nanoTime() - lastSnapshotNs >= TimeUnit.MILLISECONDS.toNanos(settings.snapshotIntervalMs());
        if ((byLength || byTime) && requestSnapshot())
        {
            requestedAtPosition = commitPosition();
            lastSnapshotNs = System.nanoTime();
            return true;
        }
        return false;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(container, driver);
        try
        {
            Files.deleteIfExists(settings.directory().toPath().resolve(PID_FILE));
        }
        catch (final IOException ignored)
        {
            // The pid file names a dead process after this: the next start treats it as stale.
        }
    }

    /** @return true once the service has refused its snapshot (then the node reports it, nothing else). */
    private boolean snapshotRefused()
    {
        return service != null && service.refusedSnapshot() != null;
    }

    private void writeStateFile()
    {
        final long position = service.logPosition();
        if (position == writtenPosition)
        {
            return;
        }
        final String text = "logPosition=" + position + "\nlastSequence=" + service.lastSequence() + "\nstateHash="
            + service.stateHash() + "\nrestoredFromSnapshot=" + service.restoredFromSnapshot() + "\nsnapshotPosition="
            + service.snapshotPosition() + "\n";
        final Path target = settings.directory().toPath().resolve(STATE_FILE);
        final Path temp = settings.directory().toPath().resolve(STATE_FILE + ".tmp");
        try
        {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writtenPosition = position;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }

    /** @return true for a first start (the directory is new or empty). */
    private static boolean prepareDirectory(final NodeSettings settings)
    {
        final File dir = settings.directory();
        final Path marker = dir.toPath().resolve(MARKER);
        final String[] entries = dir.list();
        if (dir.exists() && !dir.isDirectory())
        {
            throw new NodeStartException(ExitCodes.NO_INPUT, dir + " is a file, not a node directory");
        }
        final boolean fresh = entries == null || entries.length == 0;
        if (!fresh)
        {
            if (!Files.isRegularFile(marker))
            {
                throw new NodeStartException(ExitCodes.NO_INPUT, dir + " is not empty and is not a Stockflow "
                    + "cluster node directory (no " + MARKER + "); give a new or empty directory, or this node's own");
            }
            final Properties recorded = readProperties(marker);
            final String members = recorded.getProperty("members", "?");
            final String member = recorded.getProperty("member", "?");
            if (!settings.members().toString().equals(members) || !String.valueOf(settings.memberId()).equals(member))
            {
                throw new NodeStartException(ExitCodes.NO_INPUT, dir + " belongs to member " + member + " of the "
                    + "cluster " + members + ", not to member " + settings.memberId() + " of " + settings.members());
            }
            checkNotRunning(dir.toPath().resolve(PID_FILE));
        }
        checkPortsFree(settings);
        if (!fresh)
        {
            for (final String stale : STALE_MARK_FILES)
            {
                new File(dir, stale).delete();
            }
        }
        if (!dir.isDirectory() && !dir.mkdirs())
        {
            throw new NodeStartException(ExitCodes.IO_ERROR, "cannot create " + dir);
        }
        try
        {
            Files.writeString(dir.toPath().resolve(PID_FILE), String.valueOf(ProcessHandle.current().pid()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + PID_FILE + " in " + dir, ex);
        }
        return fresh;
    }

    private static void checkNotRunning(final Path pidFile)
    {
        if (!Files.isRegularFile(pidFile))
        {
            return;
        }
        try
        {
            final long pid = Long.parseLong(Files.readString(pidFile).trim());
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                throw new NodeStartException(ExitCodes.TEMP_FAIL, pidFile.getParent() + " is in use by the running "
                    + "node process " + pid);
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // An unreadable pid file names no live process: the node owns the directory.
        }
    }

    private static void checkPortsFree(final NodeSettings settings)
    {
        final MembersSpec members = settings.members();
        for (int offset = MembersSpec.INGRESS; offset <= MembersSpec.ARCHIVE; offset++)
        {
            final int port = members.port(settings.memberId(), offset);
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(members.host(), port));
            }
            catch (final SocketException ex)
            {
                throw new NodeStartException(ExitCodes.TEMP_FAIL, "UDP port " + port + " ("
                    + MembersSpec.PORT_NAMES[offset] + " of member " + settings.memberId() + ") on " + members.host()
                    + " is in use: " + ex.getMessage());
            }
        }
    }

    private static void writeMarker(final NodeSettings settings)
    {
        final Path marker = settings.directory().toPath().resolve(MARKER);
        if (Files.isRegularFile(marker))
        {
            return;
        }
        final String text = "# A Stockflow cluster node directory: archive/ and cluster/ are Aeron's.\nmembers="
            + settings.members() + "\nmember=" + settings.memberId() + "\n";
        try
        {
            Files.writeString(marker, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + marker, ex);
        }
    }

    private static Properties readProperties(final Path file)
    {
        final Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        return properties;
    }
}
