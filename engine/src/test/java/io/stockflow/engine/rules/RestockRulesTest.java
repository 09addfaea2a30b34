package io.stockflow.engine.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RestockRulesTest
{
    private final RulesDriver driver = new RulesDriver();

    @Test
    void shouldCreateTheSkuWithZeroCountsOnItsFirstRestockAndAddTheQuantity()
    {
        assertFalse(driver.rules.view().hasSku(1));
        assertEquals("ACCEPTED", driver.restock(1, 100));
        assertEquals(100, driver.onHand(1));
        assertEquals(0, driver.reserved(1));
        assertEquals(1, driver.rules.view().skuCount());
        assertEquals("ACCEPTED", driver.restock(1, 23));
        assertEquals(123, driver.onHand(1));
        assertEquals(1, driver.rules.view().skuCount());
    }

    @Test
    void shouldRejectANonPositiveSkuAsInvalid()
    {
        for (final long sku : new long[] {0, -1, Long.MIN_VALUE})
        {
            assertEquals("INVALID", driver.restock(sku, 5));
            assertFalse(driver.rules.view().hasSku(sku));
        }
        assertEquals(0, driver.rules.view().skuCount());
    }

    @Test
    void shouldAcceptQuantitiesFromOneToOneBillionExactly()
    {
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals("ACCEPTED", driver.restock(2, Limits.MAX_RESTOCK_QTY));
        assertEquals(Limits.MAX_RESTOCK_QTY, driver.onHand(2));
        for (final long qty : new long[] {0, -5, Limits.MAX_RESTOCK_QTY + 1, Long.MIN_VALUE, Long.MAX_VALUE})
        {
            assertEquals("INVALID", driver.restock(1, qty), "qty=" + qty);
            assertEquals("INVALID", driver.restock(3, qty), "qty=" + qty);
        }
        assertEquals(1, driver.onHand(1));
        assertFalse(driver.rules.view().hasSku(3));
    }

    @Test
    void shouldAllowOnHandUpToTenToTheTwelfthAndRejectOneMoreAsLimitExceeded()
    {
        RulesFixtures.fillOnHand(driver, 1, Limits.MAX_ON_HAND - 7);
        assertEquals("ACCEPTED", driver.restock(1, 7));
        assertEquals(Limits.MAX_ON_HAND, driver.onHand(1));
        final long hash = driver.rules.view().stateHash();
        assertEquals("LIMIT_EXCEEDED", driver.restock(1, 1));
        assertEquals(Limits.MAX_ON_HAND, driver.onHand(1));
        assertEquals(hash, driver.rules.view().stateHash());
    }

    @Test
    void shouldCheckInvalidBeforeLimitExceeded()
    {
        RulesFixtures.fillOnHand(driver, 1, Limits.MAX_ON_HAND);
        assertEquals("INVALID", driver.restock(1, Limits.MAX_RESTOCK_QTY + 1));
        assertEquals("INVALID", driver.restock(1, 0));
    }
}
