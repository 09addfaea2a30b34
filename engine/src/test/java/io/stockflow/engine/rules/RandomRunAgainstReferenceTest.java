package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.journal.testing.Slow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Long seeded random runs, each event checked against {@link ReferenceRules}
 * (same outcome, same expiries in the same order) and the SKU invariant
 * {@code 0 <= reserved <= onHand <= 10^12} checked after every event; the full
 * state is compared and {@link FulfillmentRules#checkInvariants()} run
 * periodically and at the end.
 */
@Slow
class RandomRunAgainstReferenceTest
{
    private static final int EVENTS = 1_000_000;
    private static final int FULL_CHECK_EVERY = 100_000;
    private static final int SKU_UNIVERSE = 200;

    private final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();
    private final List<Long> expired = new ArrayList<>();
    private final int[] outcomes = new int[RejectReason.MAX_CODE + 1];

    /**
     * Each seed starts from other parameters (as a new directory's parameters record would set
     * them: none, a short retention with a capacity the run reaches, the defaults), and RULES
     * commands change them on the way, lowering and raising the retention and the capacities, so
     * settled orders of every status are forgotten, forgotten ids are named and reused, and both
     * capacities are reached.
     */
    @ParameterizedTest
    @CsvSource({"1, 0, 0, 0", "42, 60000, 1500, 150", "20240601, 604800000, 16777216, 1048576"})
    void shouldMatchTheReferenceAndHoldTheInvariantAfterEveryEvent(
        final long seed, final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        final FulfillmentRules rules = new FulfillmentRules(expired::add);
        final ReferenceRules reference = new ReferenceRules();
        rules.initializeParameters(retentionMs, orderCapacity, skuCapacity);
        reference.initialize(retentionMs, orderCapacity, skuCapacity);
        final RandomWorkload workload = new RandomWorkload(seed, SKU_UNIVERSE, true, true);
        final SkuVisitor skuInvariant = (sku, onHand, reserved) ->
        {
            if (reserved < 0 || reserved > onHand || onHand > Limits.MAX_ON_HAND)
            {
                fail("sku=" + sku + " onHand=" + onHand + " reserved=" + reserved);
            }
        };
        for (int sequence = 1; sequence <= EVENTS; sequence++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            expired.clear();
            final int outcome = rules.apply(time, view);
            assertEquals(sequence, rules.view().lastSequence());
            final RejectReason expected = reference.apply(time, view);
            if (outcome != (expected == null ? Outcome.ACCEPTED : expected.code())
                || !expired.equals(reference.expired))
            {
                fail("seed=" + seed + " seq=" + sequence + " " + view + " outcome=" + Outcome.name(outcome) +
                    " expected=" + expected + " expired=" + expired + " expected expired=" + reference.expired);
            }
            outcomes[outcome]++;
            rules.view().forEachSku(skuInvariant);
            if (sequence % FULL_CHECK_EVERY == 0)
            {
                rules.view().checkInvariants();
                assertSameState(reference, rules);
            }
        }
        assertEquals(reference.forgotten, rules.view().ordersForgotten());
        assertTrue(rules.view().ordersForgotten() > 0, "no order forgotten");
        assertEquals(EVENTS, rules.view().events());
        assertEquals(EVENTS, rules.view().lastSequence());
        for (int code = 0; code < outcomes.length; code++)
        {
            assertTrue(outcomes[code] > 0, "outcome never seen: " + Outcome.name(code));
        }
    }

    private static void assertSameState(final ReferenceRules reference, final FulfillmentRules rules)
    {
        assertEquals(reference.skus.size(), rules.view().skuCount());
        for (final Map.Entry<Long, ReferenceRules.Sku> sku : reference.skus.entrySet())
        {
            assertEquals(sku.getValue().onHand, rules.view().onHand(sku.getKey()));
            assertEquals(sku.getValue().reserved, rules.view().reserved(sku.getKey()));
        }
        assertEquals(reference.retentionMs, rules.view().retentionMs());
        assertEquals(reference.orderCapacity, rules.view().orderCapacity());
        assertEquals(reference.skuCapacity, rules.view().skuCapacity());
        assertEquals(reference.forgotten, rules.view().ordersForgotten());
        assertEquals(reference.orders.size(), rules.view().orderCount());
        for (final Map.Entry<Long, ReferenceRules.Order> entry : reference.orders.entrySet())
        {
            final long id = entry.getKey();
            final ReferenceRules.Order order = entry.getValue();
            assertEquals(order.status, rules.view().orderStatus(id));
            assertEquals(order.account, rules.view().orderAccount(id));
            assertEquals(order.status == OrderStatus.RESERVED ? order.deadline : 0, rules.view().orderDeadline(id));
            assertEquals(order.changedAt, rules.view().orderChangedAt(id));
            final OrderLines lines = rules.view().orderLines(id);
            assertEquals(order.lines.size(), lines.count());
            for (int i = 0; i < lines.count(); i++)
            {
                assertEquals(order.lines.get(i), new ReferenceRules.Line(lines.sku(i), lines.qty(i), lines.price(i)));
            }
        }
    }
}
