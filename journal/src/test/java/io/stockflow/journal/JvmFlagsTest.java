package io.stockflow.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest {
    @Test
    void forCurrentJvmHasTheBaseFlagsAndTheJdk24FlagsOnlyFrom24On() {
        assertTrue(JvmFlags.base().contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), JvmFlags.base().toString());
        assertTrue(JvmFlags.jdk24().contains("--enable-native-access=ALL-UNNAMED"), JvmFlags.jdk24().toString());
        boolean from24 = Runtime.version().feature() >= 24;
        assertEquals(from24, JvmFlags.forCurrentJvm().containsAll(JvmFlags.jdk24()));
        assertTrue(JvmFlags.forCurrentJvm().containsAll(JvmFlags.base()));
    }

    @Test
    void checkPassesUnderTheFlagsTheBuildGivesSurefire() {
        assertDoesNotThrow(JvmFlags::checkChronicleAccess);
    }
}
