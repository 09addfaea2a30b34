package io.stockflow.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared set-ups for the rules tests. */
final class RulesFixtures
{
    private RulesFixtures()
    {
    }

    /** Restocks {@code sku} (creating it if needed) until its on-hand count is exactly {@code target}. */
    static void fillOnHand(final RulesDriver driver, final long sku, final long target)
    {
        long onHand = driver.rules.view().hasSku(sku) ? driver.onHand(sku) : 0;
        while (onHand < target)
        {
            final long qty = Math.min(Limits.MAX_RESTOCK_QTY, target - onHand);
            assertEquals("ACCEPTED", driver.restock(sku, qty));
            onHand += qty;
        }
        assertEquals(target, driver.onHand(sku));
    }

    /** Takes an order placed for {@code qty} of {@code sku} to DELIVERED. */
    static void deliveredOrder(final RulesDriver driver, final long order, final long sku, final long qty)
    {
        assertEquals("ACCEPTED", driver.placeLines(order, sku, qty, 100));
        assertEquals("ACCEPTED", driver.ship(order));
        assertEquals("ACCEPTED", driver.deliver(order));
    }
}
