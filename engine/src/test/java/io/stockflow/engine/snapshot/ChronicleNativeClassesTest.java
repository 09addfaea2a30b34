package io.stockflow.engine.snapshot;

import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.CodeSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The native class Chronicle Map instantiates for every map is the one the build generated
 * into the engine's classes (src/build/java, ChronicleNativeClasses), not one Chronicle
 * Values compiles with javac at run time, which cost every JVM about 1.3 s at its first map.
 */
class ChronicleNativeClassesTest
{
    @Test
    void theMapsGlobalStateClassComesFromTheEnginesOwnClassesNotFromARuntimeCompile(@TempDir final Path directory)
        throws Exception
    {
        final Class<?> nativeClass = Values.nativeClassFor(VanillaGlobalMutableState.class);
        assertEquals(VanillaGlobalMutableState.class.getName() + "$$Native", nativeClass.getName());
        final CodeSource loadedFrom = nativeClass.getProtectionDomain().getCodeSource();
        assertNotNull(loadedFrom, "no code source");
        assertEquals(SnapshotMapFiles.class.getProtectionDomain().getCodeSource().getLocation(),
            loadedFrom.getLocation(), "loaded from somewhere other than the engine's classes");

        // And a map built with it works: written, closed, reopened, read.
        final Path file = directory.resolve(SnapshotMapFiles.SKU_FILE);
        final byte[] value = new byte[SnapshotLayout.SKU_VALUE_LENGTH];
        value[0] = 42;
        try (ChronicleMap<Long, byte[]> map = SnapshotMapFiles.createSkus(file, 1))
        {
            map.put(7L, value);
        }
        try (ChronicleMap<Long, byte[]> map = SnapshotMapFiles.openSkus(file))
        {
            assertArrayEquals(value, map.get(7L));
        }
    }
}
