package io.stockflow.cluster.node;

import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.cluster.ClusterControl;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;

/**
 * A member's cluster counters read from outside it, through its media driver's CnC file (no Aeron
 * client, so it works while the member is busy): role, election state, commit position, leadership
 * term, snapshots taken by this process, module state. A killed driver leaves its CnC file with frozen
 * values, so liveness is checked first ({@link #running()}).
 *
 * @param running          the member's media driver is alive.
 * @param role             0 follower, 1 candidate, 2 leader; -1 unknown.
 * @param electionState    17 when the election is closed; -1 unknown.
 * @param commitPosition   the commit position; -1 unknown.
 * @param leadershipTermId the term; -1 unknown.
 * @param snapshots        snapshots this process took; -1 unknown.
 */
public record NodeCounters(boolean running, long role, long electionState, long commitPosition, long leadershipTermId,
    long snapshots)
{
    private static final long ELECTION_CLOSED = 17;
    private static final NodeCounters DOWN = new NodeCounters(false, -1, -1, -1, -1, -1);

    /**
     * @param aeronDirectory the member's media driver directory.
     * @return its counters, or all unknown when it does not run.
     */
    public static NodeCounters read(final File aeronDirectory)
    {
        final File cnc = new File(aeronDirectory, CncFileDescriptor.CNC_FILE);
        if (!cnc.isFile() || cnc.length() <= CncFileDescriptor.META_DATA_LENGTH)
        {
            return DOWN;
        }
        final CountersReader counters;
        try
        {
            if (!CommonContext.isDriverActive(aeronDirectory, 2000, message ->
            {}))
            {
                return DOWN;
            }
            counters = ClusterControl.mapCounters(cnc);
        }
        catch (final RuntimeException ex)
        {
            return DOWN;
        }
        try
        {
            final long[] values = {-1, -1, -1, -1, -1};
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                final long value = counters.getCounterValue(counterId);
                switch (typeId)
                {
                    case AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID -> values[0] = value;
                    case AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID -> values[1] = value;
                    case AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID -> values[2] = value;
                    case AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID -> values[3] = value;
                    case AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID -> values[4] = value;
                    default ->
                        {
                    }
                }
            });
            return new NodeCounters(true, values[0], values[1], values[2], values[3], values[4]);
        }
        finally
        {
            IoUtil.unmap(counters.valuesBuffer().byteBuffer());
        }
    }

    /** @return true if this member leads with its election closed. */
    public boolean isLeader()
    {
        return running && role == 2 && electionState == ELECTION_CLOSED;
    }

    /** @return the role's name. */
    public String roleName()
    {
        if (!running)
        {
            return "down";
        }
        return switch ((int)role)
        {
            case 0 -> "follower";
            case 1 -> "candidate";
            case 2 -> "leader";
            default -> "unknown";
        };
    }

    /**
     * Asks a running member's consensus module for a snapshot through its control toggle (only a
     * leader acts on it).
     *
     * @param aeronDirectory the member's media driver directory.
     * @return true if the toggle was set (it was neutral).
     */
    public static boolean requestSnapshot(final File aeronDirectory)
    {
        final CountersReader counters =
            ClusterControl.mapCounters(new File(aeronDirectory, CncFileDescriptor.CNC_FILE));
        try
        {
            final AtomicCounter toggle = ClusterControl.findControlToggle(counters, 0);
            return toggle != null && ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
        }
        finally
        {
            IoUtil.unmap(counters.valuesBuffer().byteBuffer());
        }
    }
}
