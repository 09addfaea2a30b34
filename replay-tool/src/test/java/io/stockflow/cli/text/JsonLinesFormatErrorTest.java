package io.stockflow.cli.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each kind of format error, placed on line 3 after a valid command and a blank line,
 * with the exact reason the user sees.
 */
class JsonLinesFormatErrorTest
{
    private static final String VALID = "{\"type\":\"SHIP\",\"order\":1}";
    private static final String ONE_LINE = "{\"sku\":1,\"qty\":2,\"price\":3}";
    private static final String TYPES = "(types: RESTOCK, ADJUST, PLACE, CANCEL, SHIP, DELIVER, RETURN, RULES)";
    private static final String FIELDS =
        "(fields: ts, type, sku, qty, delta, order, account, ttlMs, lines, retentionMs, orderCapacity, skuCapacity)";

    static Stream<Arguments> badLines()
    {
        return Stream.of(
            arguments("fraction", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1.5}",
                "field \"qty\" is not a whole number: 1.5"),
            arguments("exponent", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1e3}",
                "field \"qty\" is not a whole number: 1e3"),
            arguments("whole fraction", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1.0}",
                "field \"qty\" is not a whole number: 1.0"),
            arguments("number as string", "{\"type\":\"RESTOCK\",\"sku\":\"5\",\"qty\":1}",
                "field \"sku\" is not a whole number: \"5\""),
            arguments("boolean", "{\"type\":\"CANCEL\",\"order\":true}",
                "field \"order\" is not a whole number: true"),
            arguments("null value", "{\"ts\":null,\"type\":\"CANCEL\",\"order\":1}",
                "field \"ts\" is not a whole number: null"),
            arguments("ts before the epoch", "{\"ts\":-1,\"type\":\"CANCEL\",\"order\":1}",
                "value of \"ts\" is outside 0..253402300799999: -1"),
            arguments("ts past the year 9999", "{\"ts\":253402300800000,\"type\":\"CANCEL\",\"order\":1}",
                "value of \"ts\" is outside 0..253402300799999: 253402300800000"),
            arguments("ts as string", "{\"ts\":\"2024-01-01\",\"type\":\"CANCEL\",\"order\":1}",
                "field \"ts\" is not a whole number: \"2024-01-01\""),
            arguments("array value", "{\"type\":\"CANCEL\",\"order\":[1]}",
                "field \"order\" is not a whole number: an array"),
            arguments("object value", "{\"type\":\"CANCEL\",\"order\":{\"id\":1}}",
                "field \"order\" is not a whole number: an object"),
            arguments("beyond long", "{\"type\":\"CANCEL\",\"order\":99999999999999999999}",
                "value of \"order\" is beyond the long range: 99999999999999999999"),
            arguments("just beyond long max", "{\"type\":\"CANCEL\",\"order\":9223372036854775808}",
                "value of \"order\" is beyond the long range: 9223372036854775808"),
            arguments("just beyond long min", "{\"type\":\"ADJUST\",\"sku\":1,\"delta\":-9223372036854775809}",
                "value of \"delta\" is beyond the long range: -9223372036854775809"),
            arguments("huge number", "{\"type\":\"CANCEL\",\"order\":" + "9".repeat(5000) + "}",
                "value of \"order\" is beyond the long range: " + "9".repeat(40) + "... (5000 characters)"),
            arguments("unknown type", "{\"type\":\"RESTOK\",\"sku\":1,\"qty\":1}",
                "unknown type \"RESTOK\" " + TYPES),
            arguments("type in lower case", "{\"type\":\"restock\",\"sku\":1,\"qty\":1}",
                "unknown type \"restock\" " + TYPES),
            arguments("type with escaped NUL", "{\"type\":\"SHIP\\u0000\",\"order\":1}",
                "unknown type \"SHIP\\u0000\" " + TYPES),
            arguments("type with a lone surrogate escape", "{\"type\":\"\\ud800\",\"order\":1}",
                "unknown type \"\\uD800\" " + TYPES),
            arguments("type not a string", "{\"type\":3,\"order\":1}",
                "field \"type\" is not a string: 3"),
            arguments("missing type", "{\"order\":1}",
                "missing field \"type\""),
            arguments("empty object", "{}",
                "missing field \"type\""),
            arguments("missing sku", "{\"type\":\"RESTOCK\",\"qty\":1}",
                "missing field \"sku\" for RESTOCK"),
            arguments("missing delta", "{\"type\":\"ADJUST\",\"sku\":1}",
                "missing field \"delta\" for ADJUST"),
            arguments("missing ttlMs", "{\"type\":\"PLACE\",\"order\":1,\"account\":1,\"lines\":[" + ONE_LINE + "]}",
                "missing field \"ttlMs\" for PLACE"),
            arguments("missing lines", "{\"type\":\"PLACE\",\"order\":1,\"account\":1,\"ttlMs\":0}",
                "missing field \"lines\" for PLACE"),
            arguments("missing order", "{\"type\":\"RETURN\"}",
                "missing field \"order\" for RETURN"),
            arguments("unknown field", "{\"type\":\"CANCEL\",\"order\":1,\"foo\":2}",
                "unknown field \"foo\" " + FIELDS),
            arguments("misspelt ts", "{\"tss\":1,\"type\":\"CANCEL\",\"order\":1}",
                "unknown field \"tss\" " + FIELDS),
            arguments("duplicate field", "{\"type\":\"RESTOCK\",\"sku\":1,\"sku\":2,\"qty\":1}",
                "duplicate field \"sku\""),
            arguments("duplicate type", "{\"type\":\"CANCEL\",\"type\":\"CANCEL\",\"order\":1}",
                "duplicate field \"type\""),
            arguments("field of another type after type", "{\"type\":\"CANCEL\",\"order\":1,\"sku\":1}",
                "unexpected field \"sku\" for CANCEL"),
            arguments("field of another type before type", "{\"qty\":1,\"order\":1,\"type\":\"CANCEL\"}",
                "unexpected field \"qty\" for CANCEL"),
            arguments("lines on a RESTOCK", "{\"type\":\"RESTOCK\",\"sku\":1,\"qty\":1,\"lines\":[]}",
                "unexpected field \"lines\" for RESTOCK"),
            arguments("lines not an array", place("5"),
                "field \"lines\" is not an array: 5"),
            arguments("line not an object", place("[" + ONE_LINE + ",5]"),
                "\"lines[1]\" is not an object: 5"),
            arguments("line missing price", place("[{\"sku\":1,\"qty\":2}]"),
                "missing field \"lines[0].price\""),
            arguments("line unknown field", place("[{\"sku\":1,\"qty\":2,\"price\":3,\"note\":4}]"),
                "unknown field \"lines[0].note\" (a line has exactly sku, qty, price)"),
            arguments("line duplicate field", place("[{\"sku\":1,\"qty\":2,\"qty\":2,\"price\":3}]"),
                "duplicate field \"lines[0].qty\""),
            arguments("line fraction", place("[" + ONE_LINE + "," + ONE_LINE + ",{\"sku\":1,\"qty\":1.5,\"price\":3}]"),
                "field \"lines[2].qty\" is not a whole number: 1.5"),
            arguments("line beyond long", place("[{\"sku\":1,\"qty\":1,\"price\":18446744073709551616}]"),
                "value of \"lines[0].price\" is beyond the long range: 18446744073709551616"),
            arguments("bad line beyond the ninth",
                place("[" + (ONE_LINE + ",").repeat(15) + "{\"sku\":1,\"qty\":1,\"price\":\"x\"}]"),
                "field \"lines[15].price\" is not a whole number: \"x\""),
            arguments("array line", "[1,2]", "not a JSON object"),
            arguments("string line", "\"RESTOCK\"", "not a JSON object"),
            arguments("number line", "42", "not a JSON object"),
            arguments("null line", "null", "not a JSON object"),
            arguments("word line", "hello", "not a JSON object"),
            arguments("deep array nesting", "[".repeat(100_000), "not a JSON object"),
            arguments("deep nesting in a value", "{\"type\":\"SHIP\",\"order\":" + "[".repeat(100_000),
                "field \"order\" is not a whole number: an array"),
            arguments("deep object nesting", "{\"a\":".repeat(100_000),
                "unknown field \"a\" " + FIELDS),
            arguments("deep nesting in lines", place("[" + "[".repeat(100_000)),
                "\"lines[0]\" is not an object: an array"),
            arguments("deep nesting in a line", place("[{\"sku\":" + "{\"a\":".repeat(100_000)),
                "field \"lines[0].sku\" is not a whole number: an object"),
            arguments("trailing garbage", VALID + " x", "unexpected content after the JSON object"),
            arguments("second object", VALID + VALID, "unexpected content after the JSON object"),
            arguments("trailing comma", VALID + ",", "unexpected content after the JSON object"),
            arguments("trailing nesting", VALID + "[".repeat(100_000), "unexpected content after the JSON object"),
            arguments("NUL byte", "{\"type\":\"SHIP\",\u0000\"order\":1}", "control character 0x00 at byte 16"),
            arguments("NUL in string", "{\"type\":\"SH\u0000IP\",\"order\":1}", "control character 0x00 at byte 12"),
            arguments("lone carriage return", "{\"type\":\"SHIP\",\r\"order\":1}", "control character 0x0D at byte 16"),
            arguments("escape character", "\u001b[31m" + VALID, "control character 0x1B at byte 1"),
            arguments("close marker right after the brace", "{]",
                "not valid JSON at column 2: ']' does not close the object opened at column 1"),
            arguments("close marker after a field", "{\"ts\":1]",
                "not valid JSON at column 8: ']' does not close the object opened at column 1"),
            arguments("array where a number belongs, closed by a brace", "{\"sku\":[1}",
                "field \"sku\" is not a whole number: an array"),
            arguments("close marker inside lines", place("[" + ONE_LINE + "}"),
                "not valid JSON at column 85: '}' does not close the array opened at column 57"),
            arguments("close marker inside a line", place("[{\"sku\":1]}"),
                "not valid JSON at column 66: ']' does not close the object opened at column 58"),
            arguments("column counts characters, not bytes", "{\"type\":\"\u00e9\u20ac\\qX\"}",
                "not valid JSON at column 13: not a valid escape in a string "
                    + "(\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and 4 hex digits)"),
            arguments("cut line", "{\"type\":\"SHIP\",\"order\":1",
                "not valid JSON at column 25: the line ends before the JSON object is complete"),
            arguments("unquoted name", "{type:\"SHIP\",\"order\":1}",
                "not valid JSON at column 2: expected a field name in double quotes, found 't'"),
            arguments("missing colon", "{\"type\" \"SHIP\"}",
                "not valid JSON at column 9: expected ':' after the field name, found '\"'"),
            arguments("missing comma", "{\"type\":\"SHIP\" \"order\":1}",
                "not valid JSON at column 16: expected ',' or a closing bracket, found '\"'"),
            arguments("missing value", "{\"order\":}",
                "not valid JSON at column 10: expected a value, found '}'"),
            arguments("leading zero", "{\"type\":\"SHIP\",\"order\":01}",
                "not valid JSON at column 25: not a valid JSON number (digits, no leading zero, no plus sign, "
                    + "a digit after '.' and 'e')"),
            arguments("bad escape", "{\"type\":\"SH\\qIP\",\"order\":1}",
                "not valid JSON at column 13: not a valid escape in a string "
                    + "(\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and 4 hex digits)"),
            arguments("bare word", "{\"type\":\"SHIP\",\"order\":tru}",
                "not valid JSON at column 28: not a JSON value (a value is a string in double quotes, a number, "
                    + "an object, an array, true, false or null)"));
    }

    static Stream<Arguments> invalidJson()
    {
        return Stream.of(
            arguments("cut line", "{\"type\":\"SHIP\",\"order\":1"),
            arguments("cut string", "{\"type\":\"SHI"),
            arguments("close marker for an object", "{]"),
            arguments("close marker after a field", "{\"ts\":1]"),
            arguments("close marker for an array", place("[" + ONE_LINE + "}")),
            arguments("trailing comma in lines", place("[{\"sku\":1,\"qty\":2,\"price\":3},]")),
            arguments("bad unicode escape", "{\"type\":\"\\u12\",\"order\":1}"),
            arguments("minus alone", "{\"type\":\"SHIP\",\"order\":-}"),
            arguments("exponent without digits", "{\"type\":\"SHIP\",\"order\":1e}"),
            arguments("leading zero", "{\"type\":\"SHIP\",\"order\":01}"),
            arguments("plus sign", "{\"type\":\"SHIP\",\"order\":+1}"),
            arguments("NaN", "{\"type\":\"SHIP\",\"order\":NaN}"),
            arguments("single quotes", "{'type':'SHIP','order':1}"),
            arguments("unquoted name", "{type:\"SHIP\",\"order\":1}"),
            arguments("trailing comma inside", "{\"type\":\"SHIP\",\"order\":1,}"),
            arguments("comment", "{\"type\":\"SHIP\",\"order\":1/*x*/}"),
            arguments("bad escape", "{\"type\":\"SH\\qIP\",\"order\":1}"));
    }

    private static String place(final String lines)
    {
        return "{\"type\":\"PLACE\",\"order\":1,\"account\":1,\"ttlMs\":0,\"lines\":" + lines + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void shouldRefuseTheLineWithItsNumberAndReason(final String kind, final String badLine, final String reason)
        throws Exception
    {
        final CommandFormatException ex = refusedOnLineThree(badLine.getBytes(StandardCharsets.UTF_8));

        assertEquals(reason, ex.reason(), kind);
        assertEquals("line 3: " + reason, ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidJson")
    void shouldRefuseInvalidJsonWithOurOwnSentenceAndTheColumn(final String kind, final String badLine)
        throws Exception
    {
        final CommandFormatException ex = refusedOnLineThree(badLine.getBytes(StandardCharsets.UTF_8));

        assertTrue(ex.reason().matches("not valid JSON at column [0-9]+: .*"), kind + ": " + ex.reason());
        assertTrue(ex.reason().length() < 160, "one short line: " + ex.reason());
        assertNoParserText(ex.reason());
    }

    /**
     * Fails when a reason carries the JSON parser's own wording: its feature advice, its
     * location dump, its token names or character codes, or a message cut short.
     *
     * @param reason a format error's reason.
     */
    static void assertNoParserText(final String reason)
    {
        for (final String parserText : new String[] {"Source", "REDACTED", "StreamReadFeature", "JsonReadFeature",
            "enable `", "(code ", "Unexpected", "Unrecognized", "was expecting", "marker", "VALUE_", "end-of-input",
            "characters)"})
        {
            assertFalse(reason.contains(parserText), () -> "the parser's text \"" + parserText + "\" in: " + reason);
        }
    }

    @Test
    void shouldRefuseInvalidUtf8WithTheBytePosition() throws Exception
    {
        final byte[][] badSequences = {
            {(byte)0xFF},
            {(byte)0xC3},
            {(byte)0xC0, (byte)0xAF},
            {(byte)0xE0, (byte)0x80, (byte)0xAF},
            {(byte)0xED, (byte)0xA0, (byte)0x80},
            {(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80},
            {(byte)0xF5, (byte)0x80, (byte)0x80, (byte)0x80},
            {(byte)0x80},
        };
        for (final byte[] sequence : badSequences)
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes("{\"type\":\"SH".getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(sequence);
            line.writeBytes("IP\",\"order\":1}".getBytes(StandardCharsets.US_ASCII));

            final CommandFormatException ex = refusedOnLineThree(line.toByteArray());

            assertEquals("invalid UTF-8 at byte 12", ex.reason());
        }
    }

    @Test
    void shouldAcceptValidMultiByteUtf8InStringsAndReportItReadably() throws Exception
    {
        final CommandFormatException ex = refusedOnLineThree(
            "{\"type\":\"SHIP\u00e9\u20ac\ud83d\ude00\",\"order\":1}".getBytes(StandardCharsets.UTF_8));

        assertEquals("unknown type \"SHIP\u00e9\u20ac\ud83d\ude00\" " + TYPES, ex.reason());
    }

    private static CommandFormatException refusedOnLineThree(final byte[] badLine) throws Exception
    {
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes((VALID + "\n\n").getBytes(StandardCharsets.US_ASCII));
        input.writeBytes(badLine);
        input.writeBytes(("\n" + VALID + "\n").getBytes(StandardCharsets.US_ASCII));
        final JsonLinesCommandReader reader = new JsonLinesCommandReader(new ByteArrayInputStream(input.toByteArray()));
        final ParsedCommand command = new ParsedCommand();

        assertTrue(reader.next(command), "the valid first line is read");
        final CommandFormatException ex = assertThrows(CommandFormatException.class, () -> reader.next(command));
        assertEquals(3, ex.lineNumber());
        return ex;
    }
}
