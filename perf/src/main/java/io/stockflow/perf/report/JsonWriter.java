package io.stockflow.perf.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small streaming JSON writer, enough for the benchmark reports: objects, arrays,
 * strings, numbers and booleans, written compactly in the order given so the report
 * schemas come out exactly as specified. Not thread-safe.
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder();
    private final Deque<Boolean> firstInScope = new ArrayDeque<>();
    private boolean afterName;

    /** @return this, having opened an object. */
    public JsonWriter beginObject()
    {
        separate();
        out.append('{');
        firstInScope.push(Boolean.TRUE);
        return this;
    }

    /** @return this, having closed the innermost object. */
    public JsonWriter endObject()
    {
        firstInScope.pop();
        out.append('}');
        return this;
    }

    /** @return this, having opened an array. */
    public JsonWriter beginArray()
    {
        separate();
        out.append('[');
        firstInScope.push(Boolean.TRUE);
        return this;
    }

    /** @return this, having closed the innermost array. */
    public JsonWriter endArray()
    {
        firstInScope.pop();
        out.append(']');
        return this;
    }

    /**
     * @param name a member name; the next call writes its value.
     * @return this.
     */
    public JsonWriter name(final String name)
    {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /**
     * @param name  member name.
     * @param value a number; non-finite values are written as {@code null}.
     * @return this.
     */
    public JsonWriter field(final String name, final double value)
    {
        return name(name).value(value);
    }

    /**
     * @param name  member name.
     * @param value a number.
     * @return this.
     */
    public JsonWriter field(final String name, final long value)
    {
        return name(name).value(value);
    }

    /**
     * @param name  member name.
     * @param value a string, or null.
     * @return this.
     */
    public JsonWriter field(final String name, final String value)
    {
        return name(name).value(value);
    }

    /**
     * @param value a number; non-finite values are written as {@code null}.
     * @return this.
     */
    public JsonWriter value(final double value)
    {
        separate();
        if (Double.isFinite(value))
        {
            if (value == Math.rint(value) && Math.abs(value) < 1e15)
            {
                out.append((long)value);
            }
            else
            {
                out.append(String.format(Locale.ROOT, "%.3f", value));
            }
        }
        else
        {
            out.append("null");
        }
        return this;
    }

    /**
     * @param value a number.
     * @return this.
     */
    public JsonWriter value(final long value)
    {
        separate();
        out.append(value);
        return this;
    }

    /**
     * @param value a string, or null.
     * @return this.
     */
    public JsonWriter value(final String value)
    {
        separate();
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    /**
     * Writes a tree of maps (objects, in iteration order), lists, strings, numbers and
     * booleans.
     *
     * @param value the tree.
     * @return this.
     */
    public JsonWriter tree(final Object value)
    {
        if (value instanceof Map)
        {
            beginObject();
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                name(String.valueOf(entry.getKey()));
                tree(entry.getValue());
            }
            return endObject();
        }
        if (value instanceof List)
        {
            beginArray();
            for (final Object item : (List<?>)value)
            {
                tree(item);
            }
            return endArray();
        }
        if (value instanceof Double || value instanceof Float)
        {
            return value(((Number)value).doubleValue());
        }
        if (value instanceof Number)
        {
            return value(((Number)value).longValue());
        }
        if (value instanceof Boolean)
        {
            separate();
            out.append(value);
            return this;
        }
        return value(value == null ? null : value.toString());
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    private void separate()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (!firstInScope.isEmpty())
        {
            if (firstInScope.peek())
            {
                firstInScope.pop();
                firstInScope.push(Boolean.FALSE);
            }
            else
            {
                out.append(',');
            }
        }
    }

    private void string(final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                    break;
            }
        }
        out.append('"');
    }
}
