package io.stockflow.perf.cli;

import io.stockflow.perf.harness.RawPretouch;
import picocli.CommandLine;

import java.util.Locale;

/** Parses {@code --raw-pretouch off|on|both}, in any case, with a one-line message for anything else. */
final class RawPretouchConverter implements CommandLine.ITypeConverter<RawPretouch>
{
    @Override
    public RawPretouch convert(final String value)
    {
        try
        {
            return RawPretouch.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not off, on or both");
        }
    }
}
