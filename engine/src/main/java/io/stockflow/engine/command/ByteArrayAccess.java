package io.stockflow.engine.command;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian, unaligned reads and writes of primitives in a byte array through
 * {@link VarHandle} views: no {@code ByteBuffer} wrapper to allocate, and the JIT
 * turns each access into a single bounds-checked load or store.
 */
final class ByteArrayAccess
{
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteArrayAccess()
    {
    }

    static long getLong(final byte[] buffer, final int index)
    {
        return (long)LONG.get(buffer, index);
    }

    static void putLong(final byte[] buffer, final int index, final long value)
    {
        LONG.set(buffer, index, value);
    }

    static int getInt(final byte[] buffer, final int index)
    {
        return (int)INT.get(buffer, index);
    }

    static void putInt(final byte[] buffer, final int index, final int value)
    {
        INT.set(buffer, index, value);
    }
}
