package io.stockflow.affinity;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers, written in the Linux list format ({@code 0-3,6}) used by
 * {@code Cpus_allowed_list}, {@code cpuset.cpus.effective} and {@code /sys/devices/system/cpu/*}.
 */
public final class CpuSet
{
    private static final CpuSet EMPTY = new CpuSet(new BitSet());

    private final BitSet bits;

    private CpuSet(BitSet bits)
    {
        this.bits = bits;
    }

    /**
     * The empty set.
     *
     * @return a set with no CPU
     */
    public static CpuSet empty()
    {
        return EMPTY;
    }

    /**
     * A set of the given CPUs.
     *
     * @param cpus CPU numbers, each {@code >= 0}
     * @return the set
     */
    public static CpuSet of(int... cpus)
    {
        BitSet bits = new BitSet();
        for (int cpu : cpus)
        {
            requireCpuNumber(cpu);
            bits.set(cpu);
        }
        return new CpuSet(bits);
    }

    /**
     * The CPUs {@code first..last}, both included.
     *
     * @param first lowest CPU
     * @param last highest CPU, {@code >= first}
     * @return the set
     */
    public static CpuSet range(int first, int last)
    {
        requireCpuNumber(first);
        if (last < first)
        {
            throw new IllegalArgumentException("range " + first + "-" + last + " is reversed");
        }
        BitSet bits = new BitSet();
        bits.set(first, last + 1);
        return new CpuSet(bits);
    }

    /**
     * A copy of a bit set, bit {@code n} meaning CPU {@code n}.
     *
     * @param bits the CPUs
     * @return the set
     */
    public static CpuSet fromBitSet(BitSet bits)
    {
        return new CpuSet((BitSet)bits.clone());
    }

    /**
     * Parses the Linux list format: comma-separated CPUs and ranges, e.g. {@code 0-3,6}. Blank
     * text is the empty set (an empty {@code /sys/devices/system/cpu/isolated} means none).
     *
     * @param list the text
     * @return the set
     * @throws IllegalArgumentException when the text is not a CPU list
     */
    public static CpuSet parse(String list)
    {
        String text = list.trim();
        BitSet bits = new BitSet();
        if (text.isEmpty())
        {
            return new CpuSet(bits);
        }
        for (String part : text.split(","))
        {
            String item = part.trim();
            int dash = item.indexOf('-');
            try
            {
                if (dash < 0)
                {
                    bits.set(requireCpuNumber(Integer.parseInt(item)));
                }
                else
                {
                    int first = requireCpuNumber(Integer.parseInt(item.substring(0, dash).trim()));
                    int last = requireCpuNumber(Integer.parseInt(item.substring(dash + 1).trim()));
                    if (last < first)
                    {
                        throw new IllegalArgumentException(
                            "range '" + item + "' is reversed in CPU list '" + text + "'");
                    }
                    bits.set(first, last + 1);
                }
            }
            catch (NumberFormatException e)
            {
                throw new IllegalArgumentException("'" + item + "' is not a CPU or range in CPU list '" + text + "'",
                    e);
            }
        }
        return new CpuSet(bits);
    }

    private static int requireCpuNumber(int cpu)
    {
        if (cpu < 0)
        {
            throw new IllegalArgumentException("CPU number " + cpu + " is negative");
        }
        return cpu;
    }

    /**
     * Whether the set holds a CPU.
     *
     * @param cpu CPU number
     * @return true when present
     */
    public boolean contains(int cpu)
    {
        return cpu >= 0 && bits.get(cpu);
    }

    /**
     * Whether this set holds every CPU of another.
     *
     * @param other the other set
     * @return true when {@code other} is a subset of this set
     */
    public boolean containsAll(CpuSet other)
    {
        BitSet missing = (BitSet)other.bits.clone();
        missing.andNot(bits);
        return missing.isEmpty();
    }

    /**
     * The number of CPUs in the set.
     *
     * @return the count
     */
    public int size()
    {
        return bits.cardinality();
    }

    /**
     * Whether the set has no CPU.
     *
     * @return true when empty
     */
    public boolean isEmpty()
    {
        return bits.isEmpty();
    }

    /**
     * The CPUs in both sets.
     *
     * @param other the other set
     * @return the intersection
     */
    public CpuSet intersect(CpuSet other)
    {
        BitSet result = (BitSet)bits.clone();
        result.and(other.bits);
        return new CpuSet(result);
    }

    /**
     * The CPUs of this set that are not in another.
     *
     * @param other the CPUs to take away
     * @return the difference
     */
    public CpuSet minus(CpuSet other)
    {
        BitSet result = (BitSet)bits.clone();
        result.andNot(other.bits);
        return new CpuSet(result);
    }

    /**
     * The CPUs in ascending order.
     *
     * @return a stream of CPU numbers
     */
    public IntStream stream()
    {
        return bits.stream();
    }

    /**
     * A copy as a bit set, bit {@code n} meaning CPU {@code n}, as OpenHFT Affinity takes it.
     *
     * @return a new bit set
     */
    public BitSet toBitSet()
    {
        return (BitSet)bits.clone();
    }

    /**
     * The set in Linux list format, or {@code none} when empty.
     *
     * @return e.g. {@code 0-3,6}
     */
    @Override
    public String toString()
    {
        if (bits.isEmpty())
        {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        int first = bits.nextSetBit(0);
        while (first >= 0)
        {
            int last = bits.nextClearBit(first) - 1;
            if (text.length() > 0)
            {
                text.append(',');
            }
            text.append(first);
            if (last > first)
            {
                text.append('-').append(last);
            }
            first = bits.nextSetBit(last + 1);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof CpuSet && ((CpuSet)other).bits.equals(bits);
    }

    @Override
    public int hashCode()
    {
        return bits.hashCode();
    }
}
