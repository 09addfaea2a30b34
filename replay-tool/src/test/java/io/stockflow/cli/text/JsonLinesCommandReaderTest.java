package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesCommandReaderTest
{
    private final ParsedCommand command = new ParsedCommand();

    static JsonLinesCommandReader reader(final String input)
    {
        return new JsonLinesCommandReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldReadEveryCommandTypeOfTheDomainExamples() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}\n"
                + "{\"ts\":1700000000001,\"type\":\"ADJUST\",\"sku\":1,\"delta\":-5}\n"
                + "{\"ts\":1700000000002,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":0,"
                + "\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999}]}\n"
                + "{\"ts\":1700000000003,\"type\":\"CANCEL\",\"order\":10}\n"
                + "{\"ts\":1700000000004,\"type\":\"SHIP\",\"order\":11}\n"
                + "{\"ts\":1700000000005,\"type\":\"DELIVER\",\"order\":11}\n"
                + "{\"ts\":1700000000006,\"type\":\"RETURN\",\"order\":11}\n");

        assertTrue(reader.next(command));
        assertEquals(CommandType.RESTOCK, command.type());
        assertTrue(command.hasTs());
        assertEquals(1700000000000L, command.ts());
        assertEquals(1, command.sku());
        assertEquals(100, command.qty());

        assertTrue(reader.next(command));
        assertEquals(CommandType.ADJUST, command.type());
        assertEquals(1700000000001L, command.ts());
        assertEquals(1, command.sku());
        assertEquals(-5, command.delta());

        assertTrue(reader.next(command));
        assertEquals(CommandType.PLACE, command.type());
        assertEquals(1700000000002L, command.ts());
        assertEquals(10, command.order());
        assertEquals(7, command.account());
        assertEquals(0, command.ttlMs());
        assertEquals(1, command.lineCount());
        assertEquals(1, command.lineSku(0));
        assertEquals(2, command.lineQty(0));
        assertEquals(1999, command.linePrice(0));

        final CommandType[] orderTypes =
            {CommandType.CANCEL, CommandType.SHIP, CommandType.DELIVER, CommandType.RETURN};
        final long[] orders = {10, 11, 11, 11};
        for (int i = 0; i < orderTypes.length; i++)
        {
            assertTrue(reader.next(command));
            assertEquals(orderTypes[i], command.type());
            assertEquals(1700000000003L + i, command.ts());
            assertEquals(orders[i], command.order());
        }
        assertFalse(reader.next(command));
        assertEquals(7, reader.lineNumber());
    }

    @Test
    void shouldTreatTsAsOptional() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "{\"type\":\"CANCEL\",\"order\":3}\n{\"ts\":5,\"type\":\"CANCEL\",\"order\":4}\n{\"type\":\"SHIP\",\"order\":5}\n");

        assertTrue(reader.next(command));
        assertFalse(command.hasTs());
        assertEquals(0, command.ts());
        assertTrue(reader.next(command));
        assertTrue(command.hasTs());
        assertEquals(5, command.ts());
        assertTrue(reader.next(command));
        assertFalse(command.hasTs(), "ts of the previous line must not leak into the next");
    }

    @Test
    void shouldAcceptFieldsInAnyOrderAndWhitespaceBetweenTokens() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "  { \"qty\" : 7 ,\t\"sku\":3, \"type\":\"RESTOCK\" , \"ts\": 1 }  \t\n");

        assertTrue(reader.next(command));
        assertEquals(CommandType.RESTOCK, command.type());
        assertEquals(3, command.sku());
        assertEquals(7, command.qty());
        assertEquals(1, command.ts());
    }

    @Test
    void shouldSkipBlankLinesButCountThemInLineNumbers() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "\n   \n\t\n{\"type\":\"SHIP\",\"order\":1}\n\n{\"type\":\"SHIP\",\"order\":2}\n\n\n");

        assertTrue(reader.next(command));
        assertEquals(4, reader.lineNumber());
        assertTrue(reader.next(command));
        assertEquals(6, reader.lineNumber());
        assertFalse(reader.next(command));
        assertEquals(8, reader.lineNumber());
    }

    @Test
    void shouldReadCrLfLinesAndALastLineWithoutNewline() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "{\"type\":\"SHIP\",\"order\":1}\r\n\r\n{\"type\":\"SHIP\",\"order\":2}");

        assertTrue(reader.next(command));
        assertEquals(1, command.order());
        assertTrue(reader.next(command));
        assertEquals(2, command.order());
        assertEquals(3, reader.lineNumber());
        assertFalse(reader.next(command));
        assertFalse(reader.next(command), "end of input stays the end");
    }

    @Test
    void shouldReturnFalseAtOnceForEmptyInput() throws Exception
    {
        final JsonLinesCommandReader reader = reader("");

        assertFalse(reader.next(command));
        assertEquals(0, reader.lineNumber());
    }

    @Test
    void shouldIgnoreAByteOrderMarkAtTheStartOfTheInputOnly() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "\uFEFF{\"type\":\"SHIP\",\"order\":1}\n\uFEFF{\"type\":\"SHIP\",\"order\":2}\n");

        assertTrue(reader.next(command));
        assertEquals(1, command.order());
        final CommandFormatException ex = assertThrows(CommandFormatException.class, () -> reader.next(command));
        assertEquals(2, ex.lineNumber());
        assertEquals("not a JSON object", ex.reason());
    }

    @Test
    void shouldReadOutOfRuleValuesAsWellFormedCommands() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "{\"type\":\"RESTOCK\",\"sku\":0,\"qty\":-5}\n"
                + "{\"type\":\"ADJUST\",\"sku\":-9223372036854775808,\"delta\":9223372036854775807}\n"
                + "{\"type\":\"PLACE\",\"order\":-1,\"account\":0,\"ttlMs\":-7,\"lines\":[]}\n"
                + "{\"type\":\"PLACE\",\"order\":1,\"account\":1,\"ttlMs\":0,"
                + "\"lines\":[{\"sku\":1,\"qty\":1,\"price\":1},{\"sku\":1,\"qty\":0,\"price\":-1}]}\n"
                + "{\"type\":\"RETURN\",\"order\":0}\n");

        assertTrue(reader.next(command));
        assertEquals(0, command.sku());
        assertEquals(-5, command.qty());
        assertTrue(reader.next(command));
        assertEquals(Long.MIN_VALUE, command.sku());
        assertEquals(Long.MAX_VALUE, command.delta());
        assertTrue(reader.next(command));
        assertEquals(-1, command.order());
        assertEquals(-7, command.ttlMs());
        assertEquals(0, command.lineCount());
        assertTrue(reader.next(command));
        assertEquals(2, command.lineCount());
        assertEquals(-1, command.linePrice(1));
        assertTrue(reader.next(command));
        assertEquals(0, command.order());
        assertFalse(reader.next(command));
    }

    @Test
    void shouldCountEveryLineOfALongPlaceButHoldTheFirstNine() throws Exception
    {
        final StringBuilder line =
            new StringBuilder("{\"type\":\"PLACE\",\"order\":1,\"account\":2,\"ttlMs\":3,\"lines\":[");
        for (int i = 0; i < 20; i++)
        {
            line.append(i == 0 ? "" : ",").append("{\"sku\":").append(i + 1).append(",\"qty\":").append(100 + i)
                .append(",\"price\":").append(1000 + i).append('}');
        }
        final JsonLinesCommandReader reader = reader(line.append("]}\n").toString());

        assertTrue(reader.next(command));
        assertEquals(20, command.lineCount());
        assertEquals(9, command.storedLineCount());
        assertEquals(9, command.lineSku(8));
        assertEquals(108, command.lineQty(8));
        assertEquals(1008, command.linePrice(8));
        assertThrows(IndexOutOfBoundsException.class, () -> command.lineSku(9));

        final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final int length = command.encode(buffer, 0);
        final CommandView view = new CommandView().wrap(buffer, 0, length);
        assertEquals(20, view.lineCount());
        assertEquals(9, view.encodedLineCount());
        assertEquals(1008, view.linePrice(8));
    }

    @Test
    void shouldClearFieldsOfThePreviousCommand() throws Exception
    {
        final JsonLinesCommandReader reader = reader(
            "{\"type\":\"PLACE\",\"order\":1,\"account\":2,\"ttlMs\":3,\"lines\":[{\"sku\":1,\"qty\":1,\"price\":1}]}\n"
                + "{\"type\":\"RESTOCK\",\"sku\":4,\"qty\":5}\n");

        assertTrue(reader.next(command));
        assertTrue(reader.next(command));
        assertEquals(0, command.order());
        assertEquals(0, command.account());
        assertEquals(0, command.lineCount());
    }

    @Test
    void shouldStayFailedAfterAFormatError() throws Exception
    {
        final JsonLinesCommandReader reader =
            reader("{\"type\":\"SHIP\",\"order\":1}\nnope\n{\"type\":\"SHIP\",\"order\":2}\n");

        assertTrue(reader.next(command));
        final CommandFormatException first = assertThrows(CommandFormatException.class, () -> reader.next(command));
        final CommandFormatException again = assertThrows(CommandFormatException.class, () -> reader.next(command));
        assertSame(first, again);
        assertEquals(2, reader.lineNumber());
        assertEquals("line 2: not a JSON object", first.getMessage());
    }

    @Test
    void shouldAcceptALineOfExactlyTheLimitAndRefuseOneByteMore() throws Exception
    {
        final String command = "{\"type\":\"SHIP\",\"order\":1}";
        final int limit = 64;
        final String exact = command + " ".repeat(limit - command.length());
        final String over = exact + " ";

        final JsonLinesCommandReader reader = new JsonLinesCommandReader(new ByteArrayInputStream(
            (exact + "\r\n" + exact + "\n" + exact + "\n" + over + "\n").getBytes(StandardCharsets.US_ASCII)), limit);

        assertTrue(reader.next(this.command));
        assertTrue(reader.next(this.command));
        assertTrue(reader.next(this.command));
        final CommandFormatException ex = assertThrows(CommandFormatException.class, () -> reader.next(this.command));
        assertEquals(4, ex.lineNumber());
        assertEquals("line longer than 64 bytes", ex.reason());
    }

    @Test
    void shouldRefuseAnOverlongLastLineWithoutNewline()
    {
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(
            new ByteArrayInputStream("{\"type\":\"SHIP\",\"order\":12345}".getBytes(StandardCharsets.US_ASCII)), 20);

        final CommandFormatException ex = assertThrows(CommandFormatException.class, () -> reader.next(command));
        assertEquals(1, ex.lineNumber());
        assertEquals("line longer than 20 bytes", ex.reason());
    }

    @Test
    void shouldRefuseALineLimitOutOfRange()
    {
        final ByteArrayInputStream input = new ByteArrayInputStream(new byte[0]);

        assertThrows(IllegalArgumentException.class, () -> new JsonLinesCommandReader(input, 0));
        assertThrows(IllegalArgumentException.class, () -> new JsonLinesCommandReader(input, Integer.MAX_VALUE));
    }

    @Test
    void shouldCloseTheInputStream() throws IOException
    {
        final boolean[] closed = {false};
        final ByteArrayInputStream input = new ByteArrayInputStream(new byte[0])
        {
            @Override
            public void close()
            {
                closed[0] = true;
            }
        };

        new JsonLinesCommandReader(input).close();

        assertTrue(closed[0]);
    }

    @Test
    void shouldRefuseToEncodeBeforeAnyCommandWasRead()
    {
        assertThrows(IllegalStateException.class, () -> new ParsedCommand().encode(new byte[64], 0));
    }
}
