package io.stockflow.cli.text;

import java.nio.CharBuffer;

/**
 * Shows input text in an error message so that the message stays one short,
 * printable line whatever the input held: control characters and unpaired
 * surrogates (which JSON escapes can produce) are escaped, and long text is cut,
 * with its full length stated. Used on the error path only.
 */
final class MessageText
{
    /** Characters of input shown in a message; longer text is cut. */
    static final int MAX_SHOWN_CHARS = 40;

    private MessageText()
    {
    }

    /**
     * @param text input text, e.g. a field name.
     * @return the text, escaped and cut, in double quotes.
     */
    static String quoted(final CharSequence text)
    {
        return '"' + shown(text, MAX_SHOWN_CHARS, true) + '"';
    }

    /**
     * @param chars  holds the input text, e.g. a string value.
     * @param offset first char.
     * @param length number of chars.
     * @return the text, escaped and cut, in double quotes.
     */
    static String quoted(final char[] chars, final int offset, final int length)
    {
        return quoted(CharBuffer.wrap(chars, offset, length));
    }

    /**
     * @param chars  holds the input text, e.g. a number's digits.
     * @param offset first char.
     * @param length number of chars.
     * @return the text, escaped and cut, without quotes.
     */
    static String bare(final char[] chars, final int offset, final int length)
    {
        return shown(CharBuffer.wrap(chars, offset, length), MAX_SHOWN_CHARS, true);
    }

    private static String shown(final CharSequence text, final int maxChars, final boolean escapeQuotes)
    {
        final int length = text.length();
        int shownLength = Math.min(length, maxChars);
        if (shownLength < length && shownLength > 0 && Character.isHighSurrogate(text.charAt(shownLength - 1)))
        {
            shownLength--;
        }
        final StringBuilder out = new StringBuilder(shownLength + 32);
        for (int i = 0; i < shownLength; i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < shownLength && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                out.append(c).append(text.charAt(++i));
            }
            else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c))
            {
                out.append(String.format("\\u%04X", (int)c));
            }
            else if (escapeQuotes && (c == '"' || c == '\\'))
            {
                out.append('\\').append(c);
            }
            else
            {
                out.append(c);
            }
        }
        if (length > shownLength)
        {
            out.append("... (").append(length).append(" characters)");
        }
        return out.toString();
    }
}
