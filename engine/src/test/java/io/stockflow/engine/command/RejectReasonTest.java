package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RejectReasonTest
{
    @Test
    void shouldKeepTheReleasedCodes()
    {
        assertEquals(1, RejectReason.INVALID.code());
        assertEquals(2, RejectReason.LIMIT_EXCEEDED.code());
        assertEquals(3, RejectReason.UNKNOWN_SKU.code());
        assertEquals(4, RejectReason.INSUFFICIENT_STOCK.code());
        assertEquals(5, RejectReason.DUPLICATE_ORDER.code());
        assertEquals(6, RejectReason.UNKNOWN_ORDER.code());
        assertEquals(7, RejectReason.INVALID_STATE.code());
    }

    @Test
    void shouldFindEveryReasonByItsCode()
    {
        for (final RejectReason reason : RejectReason.values())
        {
            assertSame(reason, RejectReason.fromCode(reason.code()));
        }
    }

    @Test
    void shouldRefuseUnknownCodes()
    {
        for (final int code : new int[] {0, 8, -1, Integer.MAX_VALUE})
        {
            assertThrows(IllegalArgumentException.class, () -> RejectReason.fromCode(code));
        }
    }
}
