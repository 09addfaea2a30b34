package io.stockflow.engine.command;

/**
 * An encoded command that does not follow {@link CommandDescriptor}: unknown type
 * code, unsupported schema version, or a length that does not match the type.
 *
 * <p>Never the result of user input: out-of-rule values are encoded faithfully and
 * rejected by the rules. A malformed payload means journal corruption or a bug in
 * the writer, so it fails loudly instead of being skipped.
 */
public final class MalformedCommandException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the offending values as {@code field=value}.
     */
    public MalformedCommandException(final String message)
    {
        super(message);
    }
}
