package io.stockflow.cli.text;

/**
 * Byte-level checks of one input line, made before any JSON parsing so that the two
 * commonest kinds of hostile bytes get a precise reason rather than a parser's
 * guess: strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) and
 * no control characters (every byte below 0x20 except tab; NUL included).
 *
 * <p>Checking UTF-8 here also pins the encoding: with no NUL byte and no UTF-16 or
 * UTF-32 byte-order mark possible in valid UTF-8, the JSON parser's encoding
 * detection can only choose UTF-8.
 */
final class LineBytes
{
    private LineBytes()
    {
    }

    /**
     * @param line   the line's bytes, terminator removed.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true if every byte is a space or a tab (an empty line included).
     */
    static boolean isBlank(final byte[] line, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (line[i] != ' ' && line[i] != '\t')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Finds the first byte-level problem of a line.
     *
     * @param line   the line's bytes, terminator removed.
     * @param offset first byte.
     * @param length number of bytes.
     * @return the reason for refusing the line, or null if its bytes are fine.
     */
    static String firstProblem(final byte[] line, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b = line[i] & 0xFF;
            if (b < 0x80)
            {
                if (b < 0x20 && b != '\t')
                {
                    return String.format("control character 0x%02X at byte %d", b, i - offset + 1);
                }
                i++;
                continue;
            }
            final int sequenceLength = utf8SequenceLength(line, i, end);
            if (sequenceLength == 0)
            {
                return "invalid UTF-8 at byte " + (i - offset + 1);
            }
            i += sequenceLength;
        }
        return null;
    }

    /**
     * @return the length of the well-formed multi-byte UTF-8 sequence starting at
     *         {@code i} (Unicode Table 3-7), or 0 if it is not one.
     */
    private static int utf8SequenceLength(final byte[] line, final int i, final int end)
    {
        final int lead = line[i] & 0xFF;
        final int length;
        int secondLow = 0x80;
        int secondHigh = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF)
        {
            length = 2;
        }
        else if (lead >= 0xE0 && lead <= 0xEF)
        {
            length = 3;
            if (lead == 0xE0)
            {
                secondLow = 0xA0;
            }
            else if (lead == 0xED)
            {
                secondHigh = 0x9F;
            }
        }
        else if (lead >= 0xF0 && lead <= 0xF4)
        {
            length = 4;
            if (lead == 0xF0)
            {
                secondLow = 0x90;
            }
            else if (lead == 0xF4)
            {
                secondHigh = 0x8F;
            }
        }
        else
        {
            return 0;
        }
        if (i + length > end)
        {
            return 0;
        }
        final int second = line[i + 1] & 0xFF;
        if (second < secondLow || second > secondHigh)
        {
            return 0;
        }
        for (int k = 2; k < length; k++)
        {
            final int next = line[i + k] & 0xFF;
            if (next < 0x80 || next > 0xBF)
            {
                return 0;
            }
        }
        return length;
    }
}
