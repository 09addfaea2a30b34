package io.stockflow.cli.text;

/**
 * A line of JSON Lines input that is not a command (docs/DOMAIN.md "Text form"): not a
 * JSON object, an unknown type, a missing, unknown or duplicate field, a value that
 * is not a whole number within {@code long} range, invalid UTF-8, a control
 * character, or a line over the length limit.
 *
 * <p>Checked on purpose: input is refused at that line, and the caller must turn it
 * into one clear message and exit status, never a stack trace. Out-of-rule values
 * (say {@code "qty":-5}) are not format errors: they are journaled and rejected.
 */
public final class CommandFormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** The 1-based number of the refused line. */
    private final long lineNumber;
    /** What is wrong with the line. */
    private final String reason;

    /**
     * @param lineNumber the 1-based number of the refused line.
     * @param reason     what is wrong, for a person to act on, without the line number.
     */
    public CommandFormatException(final long lineNumber, final String reason)
    {
        super("line " + lineNumber + ": " + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** @return the 1-based number of the refused line; blank lines count. */
    public long lineNumber()
    {
        return lineNumber;
    }

    /**
     * @return what is wrong with the line, naming the field and quoting the value where
     *         there is one, e.g. {@code field "qty" is not a whole number: 1.5}. The
     *         message is {@code "line " + lineNumber() + ": " + reason()}.
     */
    public String reason()
    {
        return reason;
    }
}
