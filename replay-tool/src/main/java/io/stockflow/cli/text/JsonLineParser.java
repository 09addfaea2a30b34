package io.stockflow.cli.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandType;
import io.stockflow.engine.rules.RuleParameters;

import java.io.IOException;

/**
 * Parses one line of JSON Lines input into a {@link ParsedCommand}, enforcing the
 * format rules of docs/DOMAIN.md "Text form" and this package's stricter choices (see
 * {@link JsonLinesCommandReader}).
 *
 * <p>The parser walks the one fixed shape a command has (object, optional
 * {@code lines} array of line objects) and refuses any value of the wrong kind
 * before descending into it, so hostile nesting is refused at its first bracket
 * and nothing recurses. The stream constraints on the JSON factory are a second
 * fence, not the first.
 *
 * <p>Jackson's streaming parser is created per line over the line's bytes (it cannot
 * be reset onto new input): about 0.7 KB of short-lived objects per line, its
 * buffers recycled. Field names come from Jackson's
 * canonical symbol table and the type is matched on the parser's own characters, so
 * a valid line allocates no strings. Not thread-safe.
 */
final class JsonLineParser
{
    /** Deepest valid nesting is 3 (command, lines, line); anything deeper is refused first by the walk. */
    private static final int MAX_NESTING_DEPTH = 8;
    /** Digits of {@link Long#MAX_VALUE}; a longer integer (no leading zeros in JSON) cannot fit. */
    private static final int LONG_MAX_DIGITS = 19;
    private static final CommandType[] TYPES = CommandType.values();
    private static final String TYPE_NAMES = typeNames();

    private final JsonFactory factory;
    private long lineNumber;

    /**
     * @param maxLineBytes the reader's line limit; the parser's own length limits are
     *                     set no lower, so that every value within a line gets this
     *                     class's precise reason rather than a limit error.
     */
    JsonLineParser(final int maxLineBytes)
    {
        final StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(maxLineBytes)
            .maxStringLength(maxLineBytes)
            .maxNameLength(maxLineBytes)
            .build();
        this.factory = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(constraints)
            .build();
    }

    /**
     * @param line       holds the line's bytes, terminator removed.
     * @param offset     first byte.
     * @param length     number of bytes.
     * @param lineNumber the line's 1-based number, for the exception.
     * @param into       filled with the command; unspecified after an exception.
     * @throws CommandFormatException if the line is not a command.
     */
    void parse(final byte[] line, final int offset, final int length, final long lineNumber, final ParsedCommand into)
        throws CommandFormatException
    {
        this.lineNumber = lineNumber;
        final String byteProblem = LineBytes.firstProblem(line, offset, length);
        if (byteProblem != null)
        {
            throw error(byteProblem);
        }
        if (!startsWithBrace(line, offset, length))
        {
            throw error("not a JSON object");
        }
        into.clear();
        try (JsonParser parser = factory.createParser(line, offset, length))
        {
            parseCommand(parser, into);
        }
        catch (final JsonProcessingException ex)
        {
            throw error(JsonSyntaxError.describe(ex, line, offset, length));
        }
        catch (final IOException ex)
        {
            throw error("not valid JSON: the parser could not read the line");
        }
    }

    private void parseCommand(final JsonParser parser, final ParsedCommand into)
        throws IOException, CommandFormatException
    {
        if (parser.nextToken() != JsonToken.START_OBJECT)
        {
            throw error("not a JSON object");
        }
        int seen = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
        {
            final String name = parser.currentName();
            final int bit = JsonFieldBits.bit(name);
            if (bit == 0)
            {
                throw error(
                    "unknown field " + MessageText.quoted(name) + " (fields: " + JsonFieldBits.KNOWN_NAMES + ")");
            }
            if ((seen & bit) != 0)
            {
                throw error("duplicate field " + MessageText.quoted(name));
            }
            if (into.type != null && (JsonFieldBits.allowed(into.type) & bit) == 0)
            {
                throw unexpectedField(bit, into.type);
            }
            seen |= bit;
            parser.nextToken();
            readValue(parser, bit, into);
            if (bit == JsonFieldBits.TYPE)
            {
                final int unexpected = seen & ~JsonFieldBits.allowed(into.type);
                if (unexpected != 0)
                {
                    throw unexpectedField(unexpected, into.type);
                }
            }
        }
        if (token != JsonToken.END_OBJECT)
        {
            throw error("unexpected end of line inside the JSON object");
        }
        if (into.type == null)
        {
            throw error("missing field \"type\"");
        }
        final int missing = JsonFieldBits.required(into.type) & ~seen;
        if (missing != 0)
        {
            throw error("missing field \"" + JsonFieldBits.lowestName(missing) + "\" for " + into.type);
        }
        requireNothingAfter(parser);
    }

    private void readValue(final JsonParser parser, final int bit, final ParsedCommand into)
        throws IOException, CommandFormatException
    {
        switch (bit)
        {
            case JsonFieldBits.TS:
                into.ts = readLong(parser, "ts", -1);
                if (!RuleParameters.validTime(into.ts))
                {
                    throw error("value of \"ts\" is outside 0.." + RuleParameters.MAX_TIME_MS + ": " + into.ts);
                }
                into.hasTs = true;
                break;
            case JsonFieldBits.RETENTION_MS:
                into.retentionMs = readLong(parser, "retentionMs", -1);
                into.ruleFields |= CommandFields.RETENTION_MS_GIVEN;
                break;
            case JsonFieldBits.ORDER_CAPACITY:
                into.orderCapacity = readLong(parser, "orderCapacity", -1);
                into.ruleFields |= CommandFields.ORDER_CAPACITY_GIVEN;
                break;
            case JsonFieldBits.SKU_CAPACITY:
                into.skuCapacity = readLong(parser, "skuCapacity", -1);
                into.ruleFields |= CommandFields.SKU_CAPACITY_GIVEN;
                break;
            case JsonFieldBits.TYPE:
                into.type = readType(parser);
                break;
            case JsonFieldBits.SKU:
                into.sku = readLong(parser, "sku", -1);
                break;
            case JsonFieldBits.QTY:
                into.qty = readLong(parser, "qty", -1);
                break;
            case JsonFieldBits.DELTA:
                into.delta = readLong(parser, "delta", -1);
                break;
            case JsonFieldBits.ORDER:
                into.order = readLong(parser, "order", -1);
                break;
            case JsonFieldBits.ACCOUNT:
                into.account = readLong(parser, "account", -1);
                break;
            case JsonFieldBits.TTL_MS:
                into.ttlMs = readLong(parser, "ttlMs", -1);
                break;
            default:
                readLines(parser, into);
                break;
        }
    }

    private void readLines(final JsonParser parser, final ParsedCommand into) throws IOException, CommandFormatException
    {
        if (parser.currentToken() != JsonToken.START_ARRAY)
        {
            throw error("field \"lines\" is not an array: " + describeValue(parser));
        }
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY)
        {
            if (token != JsonToken.START_OBJECT)
            {
                if (token == null)
                {
                    throw error("unexpected end of line inside \"lines\"");
                }
                throw error("\"lines[" + count + "]\" is not an object: " + describeValue(parser));
            }
            readLine(parser, into, count);
            count++;
        }
        into.lineCount = count;
    }

    private void readLine(final JsonParser parser, final ParsedCommand into, final int index)
        throws IOException, CommandFormatException
    {
        int seen = 0;
        long sku = 0;
        long qty = 0;
        long price = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
        {
            final String name = parser.currentName();
            final int bit = JsonFieldBits.lineBit(name);
            if (bit == 0)
            {
                throw error("unknown field " + MessageText.quoted(linePath(index, name))
                    + " (a line has exactly sku, qty, price)");
            }
            if ((seen & bit) != 0)
            {
                throw error("duplicate field " + MessageText.quoted(linePath(index, name)));
            }
            seen |= bit;
            parser.nextToken();
            final long value = readLong(parser, name, index);
            if (bit == JsonFieldBits.LINE_SKU)
            {
                sku = value;
            }
            else if (bit == JsonFieldBits.LINE_QTY)
            {
                qty = value;
            }
            else
            {
                price = value;
            }
        }
        if (token != JsonToken.END_OBJECT)
        {
            throw error("unexpected end of line inside \"lines[" + index + "]\"");
        }
        final int missing = JsonFieldBits.LINE_ALL & ~seen;
        if (missing != 0)
        {
            throw error("missing field \"" + linePath(index, JsonFieldBits.lowestLineName(missing)) + "\"");
        }
        if (index < CommandCodec.MAX_ENCODED_LINES)
        {
            into.lineSku[index] = sku;
            into.lineQty[index] = qty;
            into.linePrice[index] = price;
        }
    }

    /**
     * @param name      the field's name.
     * @param lineIndex the PLACE line the field is in, or -1 for a field of the command itself.
     */
    private long readLong(final JsonParser parser, final String name, final int lineIndex)
        throws IOException, CommandFormatException
    {
        final JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT)
        {
            throw error("field " + MessageText.quoted(path(name, lineIndex)) + " is not a whole number: "
                + describeValue(parser));
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        final int digits = chars[offset] == '-' ? length - 1 : length;
        if (digits > LONG_MAX_DIGITS || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
        {
            throw error("value of " + MessageText.quoted(path(name, lineIndex)) + " is beyond the long range: "
                + MessageText.bare(chars, offset, length));
        }
        return parser.getLongValue();
    }

    private CommandType readType(final JsonParser parser) throws IOException, CommandFormatException
    {
        if (parser.currentToken() != JsonToken.VALUE_STRING)
        {
            throw error("field \"type\" is not a string: " + describeValue(parser));
        }
        final char[] chars = parser.getTextCharacters();
        final int offset = parser.getTextOffset();
        final int length = parser.getTextLength();
        for (final CommandType type : TYPES)
        {
            if (equalsName(type.name(), chars, offset, length))
            {
                return type;
            }
        }
        throw error("unknown type " + MessageText.quoted(chars, offset, length) + " (types: " + TYPE_NAMES + ")");
    }

    private void requireNothingAfter(final JsonParser parser) throws CommandFormatException
    {
        final JsonToken after;
        try
        {
            after = parser.nextToken();
        }
        catch (final IOException ex)
        {
            throw error("unexpected content after the JSON object");
        }
        if (after != null)
        {
            throw error("unexpected content after the JSON object");
        }
    }

    private CommandFormatException unexpectedField(final int bits, final CommandType type)
    {
        return error("unexpected field \"" + JsonFieldBits.lowestName(bits) + "\" for " + type);
    }

    private CommandFormatException error(final String reason)
    {
        return new CommandFormatException(lineNumber, reason);
    }

    private static String describeValue(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (token == null)
        {
            return "nothing";
        }
        switch (token)
        {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return MessageText.quoted(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return MessageText.bare(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }

    private static String path(final String name, final int lineIndex)
    {
        return lineIndex < 0 ? name : linePath(lineIndex, name);
    }

    private static String linePath(final int lineIndex, final String name)
    {
        return "lines[" + lineIndex + "]." + name;
    }

    private static boolean startsWithBrace(final byte[] line, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (line[i] != ' ' && line[i] != '\t')
            {
                return line[i] == '{';
            }
        }
        return false;
    }

    private static boolean equalsName(final String name, final char[] chars, final int offset, final int length)
    {
        if (name.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name.charAt(i) != chars[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    private static String typeNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final CommandType type : TYPES)
        {
            if (names.length() > 0)
            {
                names.append(", ");
            }
            names.append(type.name());
        }
        return names.toString();
    }
}
