package io.stockflow.cluster.cli;

import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.node.NodeCounters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cluster status}: each member's role, term, commit position and snapshots, read from the
 * members' media driver counters on this host; then the leader, or that there is none (exit 75).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Leader, roles, commit positions and snapshots of the members on this host.")
final class StatusCommand implements Callable<Integer>
{
    @Option(names = "--members", required = true, paramLabel = "SPEC", description = "COUNT@HOST:BASEPORT.")
    private MembersSpec members;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        int leader = -1;
        int running = 0;
        for (int i = 0; i < members.count(); i++)
        {
            final NodeCounters node = NodeCounters.read(members.aeronDirectory(i));
            if (node.running())
            {
                running++;
                out.printf("member %d  %-9s  term %d  commit position %d  snapshots taken by this process %d%n", i,
                    node.roleName(), node.leadershipTermId(), node.commitPosition(), node.snapshots());
            }
            else
            {
                out.printf("member %d  down%n", i);
            }
            if (node.isLeader())
            {
                leader = i;
            }
        }
        if (leader < 0)
        {
            out.println("no leader (" + running + " of " + members.count() + " members running; a quorum is "
                + (members.count() / 2 + 1) + ")");
            return io.stockflow.cli.ExitCodes.TEMP_FAIL;
        }
        out.println("leader: member " + leader);
        return 0;
    }
}
