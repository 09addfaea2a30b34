package io.stockflow.affinity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSetTest
{
    @Test
    void shouldParseAndPrintTheLinuxListFormat()
    {
        CpuSet cpus = CpuSet.parse(" 0-3,6,8-9\n");
        assertEquals("0-3,6,8-9", cpus.toString());
        assertEquals(7, cpus.size());
        assertTrue(cpus.contains(6));
        assertFalse(cpus.contains(7));
    }

    @Test
    void shouldTreatBlankTextAsEmptyAndPrintNone()
    {
        assertTrue(CpuSet.parse("\n").isEmpty());
        assertEquals("none", CpuSet.empty().toString());
    }

    @Test
    void shouldRefuseTextThatIsNotACpuList()
    {
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0-x"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("3-1"));
    }

    @Test
    void shouldIntersectAndSubtract()
    {
        CpuSet all = CpuSet.range(0, 7);
        assertEquals(CpuSet.of(2, 3), all.intersect(CpuSet.parse("2-3,9")));
        assertEquals(CpuSet.parse("0-1,4-7"), all.minus(CpuSet.of(2, 3)));
        assertTrue(all.containsAll(CpuSet.of(0, 7)));
        assertFalse(all.containsAll(CpuSet.of(8)));
    }
}
