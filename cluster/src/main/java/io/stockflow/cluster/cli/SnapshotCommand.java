package io.stockflow.cluster.cli;

import io.stockflow.cli.ExitCodes;
import io.stockflow.cli.UserException;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeCounters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code cluster snapshot}: asks the leader (found through the members' counters on this host) for a
 * snapshot now through its control toggle, and waits until the leader has taken it: every member
 * snapshots at the same log position.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Take a cluster snapshot now.")
final class SnapshotCommand implements Callable<Integer>
{
    private static final long TIMEOUT_MS = 30_000;

    @Option(names = "--members", required = true, paramLabel = "SPEC", description = "COUNT@HOST:BASEPORT.")
    private MembersSpec members;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            for (int i = 0; i < members.count(); i++)
            {
                final NodeCounters before = NodeCounters.read(members.aeronDirectory(i));
                if (before.isLeader() && NodeCounters.requestSnapshot(members.aeronDirectory(i)))
                {
                    return awaitSnapshot(i, before.snapshots(), deadline);
                }
            }
            Thread.sleep(50);
        }
        throw new UserException(ExitCodes.TEMP_FAIL, "no leader took the request within " + TIMEOUT_MS
            + " ms (no quorum, or another control action in progress)");
    }

    private int awaitSnapshot(final int leader, final long before, final long deadline) throws InterruptedException
    {
        while (System.currentTimeMillis() < deadline)
        {
            final NodeCounters now = NodeCounters.read(members.aeronDirectory(leader));
            if (now.snapshots() > before)
            {
                spec.commandLine().getOut().println("snapshot taken by leader member " + leader + " at commit position "
                    + now.commitPosition());
                return 0;
            }
            Thread.sleep(20);
        }
        throw new UserException(ExitCodes.TEMP_FAIL, "member " + leader + " did not complete the snapshot within "
            + TIMEOUT_MS + " ms");
    }
}
