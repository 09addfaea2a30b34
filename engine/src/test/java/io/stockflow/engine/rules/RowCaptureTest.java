package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture spread over the events after its capture point holds exactly the state of the capture
 * point: every SKU and every held order of that point once, as they were then, whatever the rules did to
 * them meanwhile (status changes, releases, forgetting, new orders in freed rows).
 */
class RowCaptureTest
{
    @Test
    void aCaptureSpreadOverLaterEventsHoldsTheStateOfItsCapturePoint()
    {
        int capturesWithChangesDuring = 0;
        int captures = 0;
        for (long seed = 1; seed <= 4; seed++)
        {
            final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
            final RowCapture capture = new RowCapture(rules);
            final RandomWorkload workload = new RandomWorkload(seed, 400, true, true);
            final SplittableRandom random = new SplittableRandom(seed * 31);
            final byte[] command = new byte[CommandCodec.MAX_ENCODED_LENGTH];
            final CommandView view = new CommandView();
            for (int round = 0; round < 12; round++)
            {
                final int before = 2_000 + random.nextInt(8_000);
                for (int i = 0; i < before; i++)
                {
                    rules.apply(workload.nextTime(), view.wrap(command, 0, workload.next(command, 0)));
                }
                final Rows expected = Rows.of(rules.view());
                final long hashAtCapturePoint = rules.view().stateHash();
                final Rows captured = new Rows();
                capture.begin(captured, captured);
                assertTrue(capture.active());
                // Steps of 0 to 40 rows after each event: some captures end within a few events, others
                // take thousands, with forgetting and expiries in between.
                final int maxStep = random.nextInt(41);
                boolean done = false;
                int events = 0;
                while (!done)
                {
                    rules.apply(workload.nextTime(), view.wrap(command, 0, workload.next(command, 0)));
                    events++;
                    done = capture.step(events % 50 == 0 ? Math.max(1, maxStep) : random.nextInt(maxStep + 1));
                }
                assertFalse(capture.active());
                final String where = "seed " + seed + ", round " + round + ", after " + events + " events";
                assertEquals(expected.skus, captured.skus, where);
                assertEquals(expected.orders, captured.orders, where);
                captures++;
                if (rules.view().stateHash() != hashAtCapturePoint)
                {
                    capturesWithChangesDuring++;
                }
            }
            assertTrue(rules.view().ordersForgotten() > 0, "seed " + seed + ": orders were forgotten");
        }
        // The property is about writes during a capture: most captures must have seen some.
        assertTrue(capturesWithChangesDuring > captures / 2, capturesWithChangesDuring + " of " + captures);
    }

    @Test
    void aSecondBeginIsRefusedWhileOneRunsAndARulesInstanceHasOneCapture()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final RowCapture capture = new RowCapture(rules);
        final RandomWorkload workload = new RandomWorkload(7, 50, false, false);
        final byte[] command = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        for (int i = 0; i < 2_000; i++)
        {
            rules.apply(workload.nextTime(), view.wrap(command, 0, workload.next(command, 0)));
        }
        final Rows captured = new Rows();
        capture.begin(captured, captured);
        assertThrows(IllegalStateException.class, () -> capture.begin(captured, captured));
        assertThrows(IllegalStateException.class, () -> new RowCapture(rules), "one capture per rules");
    }

    /** Rows by id, refusing an id handed over twice. */
    private static final class Rows implements SkuVisitor, OrderVisitor
    {
        final Map<Long, String> skus = new HashMap<>();
        final Map<Long, String> orders = new HashMap<>();

        static Rows of(final StateView state)
        {
            final Rows rows = new Rows();
            state.forEachSku(rows);
            state.forEachOrder(rows);
            return rows;
        }

        @Override
        public void visitSku(final long sku, final long onHand, final long reserved)
        {
            assertNull(skus.put(sku, onHand + "/" + reserved), "SKU " + sku + " handed over twice");
        }

        @Override
        public void visitOrder(
            final long order,
            final long account,
            final OrderStatus status,
            final long deadline,
            final long changedAt,
            final OrderLines lines)
        {
            final long[] copy = new long[lines.count() * 3];
            for (int i = 0; i < lines.count(); i++)
            {
                copy[3 * i] = lines.sku(i);
                copy[3 * i + 1] = lines.qty(i);
                copy[3 * i + 2] = lines.price(i);
            }
            assertNull(orders.put(order, account + " " + status + " " + deadline + " " + changedAt + " "
                + Arrays.toString(copy)), "order " + order + " handed over twice");
        }
    }
}
