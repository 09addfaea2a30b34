package io.stockflow.cli.text;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden lines: exactly the forms of docs/DOMAIN.md "Text form". */
class TextFormatTest
{
    private static final String DOMAIN_EXAMPLE =
        "{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}\n"
            + "{\"ts\":1700000000001,\"type\":\"ADJUST\",\"sku\":1,\"delta\":-5}\n"
            + "{\"ts\":1700000000002,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":0,"
            + "\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999}]}\n"
            + "{\"ts\":1700000000003,\"type\":\"CANCEL\",\"order\":10}\n"
            + "{\"ts\":1700000000004,\"type\":\"SHIP\",\"order\":11}\n"
            + "{\"ts\":1700000000005,\"type\":\"DELIVER\",\"order\":11}\n"
            + "{\"ts\":1700000000006,\"type\":\"RETURN\",\"order\":11}\n";

    private final byte[] buffer = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();

    @Test
    void shouldDumpRestockAsInDomain()
    {
        wrap(CommandCodec.encodeRestock(buffer, 0, 1, 100));

        assertEquals("{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}",
            TextFormat.appendCommand(new StringBuilder(), 1700000000000L, view).toString());
    }

    @Test
    void shouldDumpAdjustWithANegativeDelta()
    {
        wrap(CommandCodec.encodeAdjust(buffer, 0, 1, -5));

        assertEquals("{\"ts\":1700000000001,\"type\":\"ADJUST\",\"sku\":1,\"delta\":-5}",
            TextFormat.appendCommand(new StringBuilder(), 1700000000001L, view).toString());
    }

    @Test
    void shouldDumpPlaceWithItsLinesInOrder()
    {
        final int length = CommandCodec.encodePlaceHeader(buffer, 0, 10, 7, 0, 2);
        CommandCodec.encodePlaceLine(buffer, 0, 0, 1, 2, 1999);
        CommandCodec.encodePlaceLine(buffer, 0, 1, 3, 4, 0);
        wrap(length);

        assertEquals("{\"ts\":1700000000002,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":0,"
            + "\"lines\":[{\"sku\":1,\"qty\":2,\"price\":1999},{\"sku\":3,\"qty\":4,\"price\":0}]}",
            TextFormat.appendCommand(new StringBuilder(), 1700000000002L, view).toString());
    }

    @Test
    void shouldDumpPlaceWithoutLinesAsAnEmptyArray()
    {
        wrap(CommandCodec.encodePlaceHeader(buffer, 0, 10, 7, 60000, 0));

        assertEquals("{\"ts\":5,\"type\":\"PLACE\",\"order\":10,\"account\":7,\"ttlMs\":60000,\"lines\":[]}",
            TextFormat.appendCommand(new StringBuilder(), 5, view).toString());
    }

    @Test
    void shouldDumpOnlyTheNineStoredLinesOfALongerPlace() throws Exception
    {
        final int length = CommandCodec.encodePlaceHeader(buffer, 0, 10, 7, 0, 12);
        for (int i = 0; i < 12; i++)
        {
            CommandCodec.encodePlaceLine(buffer, 0, i, i + 1, 1, 1);
        }
        wrap(length);

        final String line = TextFormat.appendCommand(new StringBuilder(), 1, view).toString();

        assertEquals(9, line.split("\\{\"sku\"", -1).length - 1);
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(
            new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII)));
        final ParsedCommand command = new ParsedCommand();
        assertTrue(reader.next(command));
        assertEquals(9, command.lineCount(), "still more than 8 lines, so still INVALID");
    }

    @Test
    void shouldDumpOrderCommands()
    {
        final CommandType[] types = {CommandType.CANCEL, CommandType.SHIP, CommandType.DELIVER, CommandType.RETURN};
        for (final CommandType type : types)
        {
            wrap(CommandCodec.encodeOrderCommand(buffer, 0, type, 11));

            assertEquals("{\"ts\":-1,\"type\":\"" + type + "\",\"order\":11}",
                TextFormat.appendCommand(new StringBuilder(), -1, view).toString());
        }
    }

    @Test
    void shouldDumpExtremeValues()
    {
        wrap(CommandCodec.encodeAdjust(buffer, 0, Long.MIN_VALUE, Long.MAX_VALUE));

        assertEquals("{\"ts\":0,\"type\":\"ADJUST\",\"sku\":-9223372036854775808,\"delta\":9223372036854775807}",
            TextFormat.appendCommand(new StringBuilder(), 0, view).toString());
    }

    @Test
    void shouldWriteResultsAsInDomain()
    {
        assertEquals("{\"seq\":1,\"type\":\"RESTOCK\",\"result\":\"ACCEPTED\"}",
            TextFormat.appendResult(new StringBuilder(), 1, CommandType.RESTOCK, 1, null).toString());
        assertEquals(
            "{\"seq\":3,\"type\":\"PLACE\",\"order\":10,\"result\":\"REJECTED\",\"reason\":\"INSUFFICIENT_STOCK\"}",
            TextFormat.appendResult(new StringBuilder(), 3, CommandType.PLACE, 10, RejectReason.INSUFFICIENT_STOCK)
                .toString());
    }

    @Test
    void shouldWriteOrderOnlyForOrderCommandResults()
    {
        assertEquals("{\"seq\":2,\"type\":\"ADJUST\",\"result\":\"REJECTED\",\"reason\":\"UNKNOWN_SKU\"}",
            TextFormat.appendResult(new StringBuilder(), 2, CommandType.ADJUST, 99, RejectReason.UNKNOWN_SKU)
                .toString());
        assertEquals("{\"seq\":4,\"type\":\"CANCEL\",\"order\":10,\"result\":\"ACCEPTED\"}",
            TextFormat.appendResult(new StringBuilder(), 4, CommandType.CANCEL, 10, null).toString());
        assertEquals(
            "{\"seq\":5,\"type\":\"RETURN\",\"order\":11,\"result\":\"REJECTED\",\"reason\":\"INVALID_STATE\"}",
            TextFormat.appendResult(new StringBuilder(), 5, CommandType.RETURN, 11, RejectReason.INVALID_STATE)
                .toString());
    }

    @Test
    void shouldAppendToWhatTheBuilderAlreadyHolds()
    {
        final StringBuilder out = new StringBuilder("x");

        assertSame(out, TextFormat.appendResult(out, 1, CommandType.SHIP, 2, null));
        assertEquals("x{\"seq\":1,\"type\":\"SHIP\",\"order\":2,\"result\":\"ACCEPTED\"}", out.toString());
    }

    @Test
    void writerShouldEndEachLineWithANewline() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final JsonLinesWriter writer = new JsonLinesWriter(output);
        wrap(CommandCodec.encodeRestock(buffer, 0, 1, 100));

        writer.writeCommand(1700000000000L, view);
        writer.writeResult(1, CommandType.RESTOCK, 1, null);
        writer.flush();

        assertEquals("{\"ts\":1700000000000,\"type\":\"RESTOCK\",\"sku\":1,\"qty\":100}\n"
            + "{\"seq\":1,\"type\":\"RESTOCK\",\"result\":\"ACCEPTED\"}\n", output.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void dumpOfTheDomainExampleReadBackShouldBeByteIdentical() throws Exception
    {
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(
            new ByteArrayInputStream(DOMAIN_EXAMPLE.getBytes(StandardCharsets.US_ASCII)));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final JsonLinesWriter writer = new JsonLinesWriter(output);
        final ParsedCommand command = new ParsedCommand();

        while (reader.next(command))
        {
            wrap(command.encode(buffer, 0));
            writer.writeCommand(command.ts(), view);
        }

        assertEquals(DOMAIN_EXAMPLE, output.toString(StandardCharsets.US_ASCII));
    }

    private void wrap(final int length)
    {
        view.wrap(buffer, 0, length);
    }
}
