package io.stockflow.engine.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandViewValidationTest
{
    private final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH + 16];
    private final CommandView view = new CommandView();

    @Test
    void shouldRefuseAnUnknownTypeCode()
    {
        CommandCodec.encodeRestock(buffer, 0, 1, 1);
        buffer[0] = 0;
        assertMalformed(18, "type code=0");
        buffer[0] = (byte)200;
        assertMalformed(18, "type code=200");
    }

    @Test
    void shouldRefuseAnotherSchemaVersion()
    {
        CommandCodec.encodeRestock(buffer, 0, 1, 1);
        buffer[1] = 2;
        assertMalformed(18, "schema version=2");
    }

    @Test
    void shouldRefuseAPayloadShorterThanItsHeader()
    {
        assertMalformed(0, "shorter than its header");
        assertMalformed(1, "shorter than its header");
    }

    @ParameterizedTest
    @EnumSource(CommandType.class)
    void shouldRefuseALengthThatDoesNotMatchTheType(final CommandType type)
    {
        final int length = encode(type);
        assertMalformed(length - 1, "payload length=" + (length - 1));
        assertMalformed(length + 1, "payload length=" + (length + 1));
        assertMalformed(2, "payload length=2");
        assertSame(type, view.wrap(buffer, 0, length).type());
    }

    @Test
    void shouldRefuseANegativePlaceLineCount()
    {
        CommandCodec.encodePlaceHeader(buffer, 0, 1, 1, 1, 0);
        buffer[26 + 3] = (byte)0x80;
        assertMalformed(30, "lineCount=-2147483648");
    }

    @Test
    void shouldRefuseAPlaceWhoseLengthDisagreesWithItsLineCount()
    {
        CommandCodec.encodePlaceHeader(buffer, 0, 1, 1, 1, 3);
        assertMalformed(30 + 2 * 24, "expected=" + (30 + 3 * 24));
    }

    @Test
    void shouldRefuseARangeOutsideTheBuffer()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> view.wrap(buffer, buffer.length - 5, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> view.wrap(buffer, -1, 10));
    }

    @Test
    void shouldRefuseGettersForFieldsTheTypeDoesNotHave()
    {
        view.wrap(buffer, 0, CommandCodec.encodeOrderCommand(buffer, 0, CommandType.CANCEL, 9));
        assertThrows(IllegalStateException.class, view::sku);
        assertThrows(IllegalStateException.class, view::qty);
        assertThrows(IllegalStateException.class, view::account);
        assertThrows(IllegalStateException.class, view::lineCount);
        view.wrap(buffer, 0, CommandCodec.encodeRestock(buffer, 0, 1, 2));
        assertThrows(IllegalStateException.class, view::order);
        assertThrows(IllegalStateException.class, view::delta);
        view.wrap(buffer, 0, CommandCodec.encodeAdjust(buffer, 0, 1, 2));
        assertThrows(IllegalStateException.class, view::qty);
    }

    @Test
    void shouldBeUnusableUntilWrappedAndAfterAFailedWrap()
    {
        assertThrows(IllegalStateException.class, view::type);
        view.wrap(buffer, 0, CommandCodec.encodeRestock(buffer, 0, 1, 2));
        buffer[1] = 9;
        assertThrows(MalformedCommandException.class, () -> view.wrap(buffer, 0, 18));
        assertThrows(IllegalStateException.class, view::type);
        assertThrows(IllegalStateException.class, view::sku);
    }

    @Test
    void shouldDescribeTheCommandInToString()
    {
        view.wrap(buffer, 0, CommandCodec.encodeAdjust(buffer, 0, 4, -5));
        assertEquals("ADJUST{sku=4, delta=-5}", view.toString());
    }

    private int encode(final CommandType type)
    {
        switch (type)
        {
            case RESTOCK:
                return CommandCodec.encodeRestock(buffer, 0, 1, 1);
            case ADJUST:
                return CommandCodec.encodeAdjust(buffer, 0, 1, 1);
            case PLACE:
                final int length = CommandCodec.encodePlaceHeader(buffer, 0, 1, 1, 1, 2);
                CommandCodec.encodePlaceLine(buffer, 0, 0, 1, 1, 1);
                CommandCodec.encodePlaceLine(buffer, 0, 1, 2, 1, 1);
                return length;
            case RULES:
                return CommandCodec.encodeRules(buffer, 0, CommandFields.ALL_RULE_FIELDS, 60_000, 1, 1);
            default:
                return CommandCodec.encodeOrderCommand(buffer, 0, type, 1);
        }
    }

    private void assertMalformed(final int length, final String messagePart)
    {
        final MalformedCommandException thrown =
            assertThrows(MalformedCommandException.class, () -> view.wrap(buffer, 0, length));
        assertTrue(thrown.getMessage().contains(messagePart), thrown.getMessage());
    }
}
