package io.stockflow.cluster;

import io.stockflow.cluster.node.NodeLogReader;
import io.stockflow.cluster.node.NodeSettings;
import io.stockflow.cluster.service.ReplicatedFulfillment;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

/**
 * Test support: reads a stopped node's log back and replays the applied commands into plain
 * single-node rules (given the log's parameters record as a journal's), recording which client sequence got which engine sequence and whether any
 * client sequence was applied twice.
 */
final class LogCheck
{
    final Map<Long, Long> sequenceByClientSequence = new HashMap<>();
    final Map<Long, Integer> outcomeByClientSequence = new HashMap<>();
    long appliedTwice;
    long clusterHash;
    long singleNodeHash;
    long lastSequence;

    static LogCheck of(final File nodeDirectory, final long clientId)
    {
        final LogCheck check = new LogCheck();
        final FulfillmentRules single = new FulfillmentRules(ExpiryListener.NONE);
        final ReplicatedFulfillment state = new ReplicatedFulfillment(NodeSettings.DEFAULT_MAX_CLOCK_AHEAD_MS)
            .parametersListener(single::initializeParameters).appliedListener(
                (client, clientSequence, ts, command, sequence, outcome) ->
                {
                    if (client == clientId && check.sequenceByClientSequence.put(clientSequence, sequence) != null)
                    {
                        check.appliedTwice++;
                    }
                    if (client == clientId)
                    {
                        check.outcomeByClientSequence.put(clientSequence, outcome);
                    }
                    single.apply(ts, command);
                });
        NodeLogReader.read(nodeDirectory, state);
        check.clusterHash = state.view().stateHash();
        check.singleNodeHash = single.view().stateHash();
        check.lastSequence = state.view().lastSequence();
        return check;
    }
}
