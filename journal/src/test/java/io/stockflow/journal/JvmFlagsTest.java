package io.stockflow.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest
{
    @Test
    void forCurrentJvmHasTheBaseFlagsAndTheJdk24FlagsOnlyFrom24On()
    {
        assertTrue(JvmFlags.base().contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), JvmFlags.base().toString());
        assertTrue(JvmFlags.jdk24().contains("--enable-native-access=ALL-UNNAMED"), JvmFlags.jdk24().toString());
        boolean from24 = Runtime.version().feature() >= 24;
        assertEquals(from24, JvmFlags.forCurrentJvm().containsAll(JvmFlags.jdk24()));
        assertTrue(JvmFlags.forCurrentJvm().containsAll(JvmFlags.base()));
    }

    @Test
    void chronicleSwitchesAreSetWhenTheApplicationDidNotAndKeptWhenItDid()
    {
        String analytics = System.getProperty("chronicle.analytics.disable");
        String announcer = System.getProperty("chronicle.announcer.disable");
        try
        {
            System.clearProperty("chronicle.analytics.disable");
            System.setProperty("chronicle.announcer.disable", "false");

            JvmFlags.applyChronicleSwitches();

            assertEquals("true", System.getProperty("chronicle.analytics.disable"));
            assertEquals("false", System.getProperty("chronicle.announcer.disable"), "the application's choice");
        }
        finally
        {
            restore("chronicle.analytics.disable", analytics);
            restore("chronicle.announcer.disable", announcer);
        }
    }

    private static void restore(String key, String value)
    {
        if (value == null)
        {
            System.clearProperty(key);
        }
        else
        {
            System.setProperty(key, value);
        }
    }

    @Test
    void checkPassesUnderTheFlagsTheBuildGivesSurefire()
    {
        assertDoesNotThrow(JvmFlags::checkChronicleAccess);
    }
}
