package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTypeTest
{
    @Test
    void shouldKeepTheReleasedWireCodes()
    {
        assertEquals(1, CommandType.RESTOCK.code());
        assertEquals(2, CommandType.ADJUST.code());
        assertEquals(3, CommandType.PLACE.code());
        assertEquals(4, CommandType.CANCEL.code());
        assertEquals(5, CommandType.SHIP.code());
        assertEquals(6, CommandType.DELIVER.code());
        assertEquals(7, CommandType.RETURN.code());
    }

    @Test
    void shouldFindEveryTypeByItsCode()
    {
        for (final CommandType type : CommandType.values())
        {
            assertSame(type, CommandType.fromCode(type.code()));
            assertTrue(CommandType.isValidCode(type.code()));
        }
    }

    @Test
    void shouldRefuseUnknownCodes()
    {
        for (final int code : new int[] {0, 9, -1, 255, Integer.MIN_VALUE, Integer.MAX_VALUE})
        {
            assertFalse(CommandType.isValidCode(code));
            assertThrows(IllegalArgumentException.class, () -> CommandType.fromCode(code));
        }
    }

    @Test
    void shouldClassifyAdmissionAsDomainSays()
    {
        final Set<CommandType> critical = EnumSet.of(
            CommandType.CANCEL, CommandType.SHIP, CommandType.DELIVER, CommandType.RETURN, CommandType.RULES);
        for (final CommandType type : CommandType.values())
        {
            final AdmissionClass expected = critical.contains(type) ? AdmissionClass.CRITICAL
                : type == CommandType.PLACE ? AdmissionClass.NORMAL : AdmissionClass.HIGH;
            assertEquals(expected, type.admissionClass(), type.name());
            assertEquals(critical.contains(type) && type != CommandType.RULES, type.isOrderCommand(), type.name());
        }
    }
}
