package io.stockflow.cluster;

import io.stockflow.cluster.cli.ClusterCommand;
import io.stockflow.cluster.client.ClusterPublisher;
import io.stockflow.cluster.client.StockflowClusterClient;
import io.stockflow.cluster.node.MembersSpec;
import io.stockflow.cluster.service.IngressFormat;
import io.stockflow.cluster.service.StockflowClusteredService;
import io.stockflow.engine.EngineConfig;
import io.stockflow.engine.StockflowEngine;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.rules.Outcome;
import io.stockflow.engine.rules.RuleParameters;
import io.stockflow.engine.rules.StateView;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule parameters as replicated state (issue 21): a new cluster's log begins with the parameters
 * record from the members' configuration, so retention, capacities and RULES commands behave on every
 * member, and in the exported journal, as in the single-node engine.
 */
@Slow
class ClusterRuleParametersTest
{
    private static final int ACCEPTED = Outcome.ACCEPTED;
    private static final int LIMIT_EXCEEDED = RejectReason.LIMIT_EXCEEDED.code();
    private static final int UNKNOWN_ORDER = RejectReason.UNKNOWN_ORDER.code();

    @TempDir
    Path root;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aShortRetentionForgetsSettledOrdersOnEveryMemberAndTheExportReplaysToTheSameHash() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24700");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster =
            new InProcessCluster(members, root).ruleParameters(RuleParameters.MIN_RETENTION_MS, 1000, 100))
        {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 21, results, 1 << 20, Duration.ofSeconds(3)))
            {
                final ClusterPublisher publisher = client.publisher();
                assertTrue(publisher.offerRestock(IngressFormat.NO_TS, 1, 100, 1));
                for (long order = 1; order <= 3; order++)
                {
                    assertTrue(publisher.offerPlace(IngressFormat.NO_TS, order, 7, 0, 1, 1, 100, 1 + order));
                }
                assertTrue(publisher.offerOrderCommand(CommandType.SHIP, IngressFormat.NO_TS, 1, 5));
                assertTrue(publisher.offerOrderCommand(CommandType.SHIP, IngressFormat.NO_TS, 2, 6));
                assertTrue(publisher.offerOrderCommand(CommandType.DELIVER, IngressFormat.NO_TS, 2, 7));
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
                // Five minutes ahead of cluster time (within the one-day bound): the event time passes the
                // one-minute retention of orders 1 and 2, not order 3's 15-minute reservation.
                final long later = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
                assertTrue(publisher.offerRestock(later, 1, 1, 8));
                assertTrue(publisher.offerPlace(IngressFormat.NO_TS, 1, 7, 0, 1, 1, 100, 9));
                assertTrue(publisher.offerOrderCommand(CommandType.DELIVER, IngressFormat.NO_TS, 2, 10));
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
            }
            assertEquals(ACCEPTED, results.outcomeByClientSequence.get(9L), "order 1's id was free again");
            assertEquals(UNKNOWN_ORDER, results.outcomeByClientSequence.get(10L), "order 2 was forgotten");
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            final long hash = cluster.nodes[0].service().stateHash();
            for (int i = 0; i < 3; i++)
            {
                final StockflowClusteredService service = cluster.nodes[i].service();
                cluster.stop(i);
                final StateView view = service.state().view();
                assertEquals(RuleParameters.MIN_RETENTION_MS, view.retentionMs(), "member " + i);
                assertEquals(2, view.ordersForgotten(), "member " + i + " forgot the SHIPPED and the DELIVERED order");
                assertEquals(2, view.orderCount(), "member " + i + " holds order 3 and the new order 1");
                assertEquals(10, view.lastSequence(), "member " + i + ": the parameters record takes no sequence");
                assertEquals(hash, view.stateHash(), "member " + i);
            }
            final Path engineDirectory = root.resolve("engine");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertEquals(0, ClusterCommand.execute(new String[] {"export", "--dir",
                cluster.nodeDirectory(0).getPath(), "--into", engineDirectory.toString()}, new PrintWriter(out),
                new PrintWriter(err)), err.toString());
            try (
                StockflowEngine engine = StockflowEngine.builder(EngineConfig.builder(engineDirectory).build()).build())
            {
                engine.start();
                assertEquals(hash, engine.query(StateView::stateHash).join(), "the exported journal replays to it");
                assertEquals(RuleParameters.MIN_RETENTION_MS, engine.query(StateView::retentionMs).join());
                assertEquals(2, engine.query(StateView::ordersForgotten).join());
                assertEquals(10, engine.query(StateView::lastSequence).join());
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void capacityReachedIsLimitExceededOnEveryMember() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24730");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster = new InProcessCluster(members, root).ruleParameters(0, 2, 1))
        {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 22, results, 1 << 20, Duration.ofSeconds(3)))
            {
                final ClusterPublisher publisher = client.publisher();
                assertTrue(publisher.offerRestock(IngressFormat.NO_TS, 1, 100, 1));
                assertTrue(publisher.offerRestock(IngressFormat.NO_TS, 2, 100, 2));
                for (long order = 1; order <= 3; order++)
                {
                    assertTrue(publisher.offerPlace(IngressFormat.NO_TS, order, 7, 0, 1, 1, 100, 2 + order));
                }
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
            }
            final Map<Long, Integer> expected =
                Map.of(1L, ACCEPTED, 2L, LIMIT_EXCEEDED, 3L, ACCEPTED, 4L, ACCEPTED, 5L, LIMIT_EXCEEDED);
            assertEquals(expected, Map.copyOf(results.outcomeByClientSequence), "what the client was told");
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            for (int i = 0; i < 3; i++)
            {
                final StockflowClusteredService service = cluster.nodes[i].service();
                cluster.stop(i);
                final StateView view = service.state().view();
                assertEquals(1, view.skuCount(), "member " + i);
                assertEquals(2, view.orderCount(), "member " + i);
                assertEquals(1, view.skuCapacityRefusals(), "member " + i);
                assertEquals(1, view.orderCapacityRefusals(), "member " + i);
                final LogCheck check = LogCheck.of(cluster.nodeDirectory(i), 22);
                assertEquals(expected, check.outcomeByClientSequence, "member " + i + "'s log replayed");
                assertEquals(view.stateHash(), check.singleNodeHash, "member " + i + " against single-node rules");
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRulesCommandFromTheClientChangesTheRetentionOnEveryMember() throws Exception
    {
        final MembersSpec members = MembersSpec.parse("3@127.0.0.1:24760");
        final ResultLog results = new ResultLog();
        try (InProcessCluster cluster = new InProcessCluster(members, root))
        {
            cluster.startAll();
            cluster.awaitLeader(Duration.ofSeconds(20));
            try (StockflowClusterClient client =
                new StockflowClusterClient(members, 23, results, 1 << 20, Duration.ofSeconds(3)))
            {
                assertTrue(client.publisher().offerRestock(IngressFormat.NO_TS, 1, 100, 1));
                assertTrue(client.publisher().offerRules(IngressFormat.NO_TS, CommandFields.RETENTION_MS_GIVEN,
                    TimeUnit.HOURS.toMillis(2), 0, 0, 2));
                assertTrue(client.awaitSettled(Duration.ofSeconds(30)));
            }
            assertEquals(ACCEPTED, results.outcomeByClientSequence.get(2L));
            assertEquals(2L, results.sequenceByClientSequence.get(2L), "the RULES command is the second event");
            assertTrue(cluster.awaitConverged(Duration.ofSeconds(30)));
            final long hash = cluster.nodes[0].service().stateHash();
            for (int i = 0; i < 3; i++)
            {
                final StateView view = cluster.nodes[i].service().state().view();
                cluster.stop(i);
                assertEquals(TimeUnit.HOURS.toMillis(2), view.retentionMs(), "member " + i);
                assertEquals(RuleParameters.DEFAULT_ORDER_CAPACITY, view.orderCapacity(), "member " + i);
                assertEquals(RuleParameters.DEFAULT_SKU_CAPACITY, view.skuCapacity(), "member " + i);
                assertEquals(hash, view.stateHash(), "member " + i);
                assertEquals(hash, LogCheck.of(cluster.nodeDirectory(i), 23).singleNodeHash, "member " + i);
            }
        }
    }
}
