package io.stockflow.cli.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Turns the JSON parser's refusal of a line into this tool's own sentence, with the
 * column where the line stops being JSON: {@code not valid JSON at column 8: ']' does
 * not close the object opened at column 1}.
 *
 * <p>The parser's own text is never shown: it names parser features to enable and
 * dumps its source location ("Source: REDACTED ..."), which mean nothing to someone
 * fixing an input file. The column and the brackets still open there come from a scan
 * of the line's bytes, not from the message; the message is only matched against a few
 * fixed phrases to choose the sentence, and an unknown phrase still gets a sentence of
 * ours ({@code unexpected character}). Used on the error path only; the line was already
 * checked to be valid UTF-8 without control characters.
 */
final class JsonSyntaxError
{
    private JsonSyntaxError()
    {
    }

    /**
     * @param ex     the parser's refusal.
     * @param line   holds the line's bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return the reason, one printable line, starting {@code not valid JSON}.
     */
    static String describe(final JsonProcessingException ex, final byte[] line, final int offset, final int length)
    {
        if (ex instanceof StreamConstraintsException)
        {
            return "not valid JSON: nested too deeply or a value too long";
        }
        final long reported = ex.getLocation() == null ? -1 : ex.getLocation().getByteOffset();
        final int at = ex instanceof JsonEOFException || reported < 0 || reported > length ? length : (int)reported;
        final String where = "not valid JSON at column " + column(line, offset, at) + ": ";
        final String message = ex.getOriginalMessage() == null ? "" : ex.getOriginalMessage();
        if (ex instanceof JsonEOFException)
        {
            return where + "the line ends before the JSON object is complete";
        }
        if (message.contains("numeric value") || message.startsWith("Invalid number"))
        {
            return where + "not a valid JSON number (digits, no leading zero, no plus sign, "
                + "a digit after '.' and 'e')";
        }
        if (message.contains("character escape"))
        {
            return where + "not a valid escape in a string (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and 4 hex digits)";
        }
        if (message.startsWith("Unrecognized token") || message.startsWith("Non-standard token"))
        {
            return where + "not a JSON value (a value is a string in double quotes, a number, an object, "
                + "an array, true, false or null)";
        }
        if (at >= length)
        {
            return where + "the line ends before the JSON object is complete";
        }
        final int found = line[offset + at] & 0xFF;
        if (found == ']' || found == '}')
        {
            final int opener = innermostOpenBracket(line, offset, at);
            if (opener >= 0 && (line[offset + opener] == '{') != (found == '}'))
            {
                return where + shown(found) + " does not close the "
                    + (line[offset + opener] == '{' ? "object" : "array") + " opened at column "
                    + column(line, offset, opener);
            }
        }
        if (message.contains("start field name"))
        {
            return where + "expected a field name in double quotes, found " + shown(found);
        }
        if (message.contains("colon"))
        {
            return where + "expected ':' after the field name, found " + shown(found);
        }
        if (message.contains("comma"))
        {
            return where + "expected ',' or a closing bracket, found " + shown(found);
        }
        if (message.contains("expected a value"))
        {
            return where + "expected a value, found " + shown(found);
        }
        return where + "unexpected character " + shown(found);
    }

    /** @return the 1-based column (characters, not bytes) of the byte at {@code at}. */
    private static int column(final byte[] line, final int offset, final int at)
    {
        int column = 1;
        for (int i = 0; i < at; i++)
        {
            if ((line[offset + i] & 0xC0) != 0x80)
            {
                column++;
            }
        }
        return column;
    }

    /**
     * @return the index of the innermost {@code {} or {@code [} still open before {@code at},
     *         outside strings, or -1 when none is.
     */
    private static int innermostOpenBracket(final byte[] line, final int offset, final int at)
    {
        final int[] open = new int[Math.max(1, at)];
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < at; i++)
        {
            final byte b = line[offset + i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b == '{' || b == '[')
            {
                open[depth++] = i;
            }
            else if ((b == '}' || b == ']') && depth > 0)
            {
                depth--;
            }
        }
        return depth == 0 ? -1 : open[depth - 1];
    }

    /** @return the character quoted when printable ASCII, else its code point's byte in hex. */
    private static String shown(final int found)
    {
        if (found >= 0x20 && found < 0x7F)
        {
            return "'" + (char)found + "'";
        }
        return String.format("byte 0x%02X", found);
    }
}
