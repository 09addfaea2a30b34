package io.stockflow.cluster.node;

import java.io.File;

/**
 * The members of a cluster in Stockflow's short form, {@code COUNT@HOST:BASEPORT} (for example
 * {@code 3@127.0.0.1:21000}): COUNT members (1 to 9) on HOST, member {@code N} (0 to COUNT - 1)
 * listening on {@code BASEPORT + 10 N} plus 0 ingress, 1 consensus, 2 log, 3 catch-up, 4 archive
 * control. Every other port is ephemeral. {@link #aeronMembers()} expands it into Aeron's own
 * {@code id,ingress,consensus,log,catchup,archive|...} and {@link #ingressEndpoints()} into the
 * client's {@code id=host:port,...}.
 *
 * <p>One media driver directory per member, derived from the spec so that status and snapshot
 * tools find a node from the spec alone: {@code /dev/shm/aeron-stockflow-BASEPORT-N}.
 */
public record MembersSpec(int count, String host, int basePort)
{
    /** Ports per member: ingress, consensus, log, catch-up, archive. */
    public static final int PORT_STRIDE = 10;
    /** Offset of the ingress port. */
    public static final int INGRESS = 0;
    /** Offset of the consensus port. */
    public static final int CONSENSUS = 1;
    /** Offset of the log port. */
    public static final int LOG = 2;
    /** Offset of the catch-up port. */
    public static final int CATCHUP = 3;
    /** Offset of the archive control port. */
    public static final int ARCHIVE = 4;
    /** The port names by offset, for error messages. */
    static final String[] PORT_NAMES = {"ingress", "consensus", "log", "catch-up", "archive"};
    private static final int MAX_MEMBERS = 9;
    private static final int MIN_PORT = 1024;

    /**
     * Parses and validates a spec.
     *
     * @param text the spec.
     * @return it.
     * @throws IllegalArgumentException with a sentence saying what is wrong and the expected form.
     */
    public static MembersSpec parse(final String text)
    {
        final String form = "expected COUNT@HOST:BASEPORT, for example 3@127.0.0.1:21000";
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("the members spec is empty; " + form);
        }
        final int at = text.indexOf('@');
        final int colon = text.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("the members spec '" + text + "' is malformed; " + form);
        }
        final int count = number(text.substring(0, at), "member count", text, form);
        final String host = text.substring(at + 1, colon);
        final int basePort = number(text.substring(colon + 1), "base port", text, form);
        if (count < 1 || count > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("the members spec '" + text + "' has " + count
                + " members; give 1 to " + MAX_MEMBERS + " (3 tolerates one failure)");
        }
        final int lastPort = basePort + (count - 1) * PORT_STRIDE + ARCHIVE;
        if (basePort < MIN_PORT || lastPort > 65535)
        {
            throw new IllegalArgumentException("the members spec '" + text + "' uses ports " + basePort + ".."
                + lastPort + "; they must lie in " + MIN_PORT + "..65535");
        }
        if (host.isBlank() || host.contains(",") || host.contains("|") || host.contains("=")
            || host.contains("@"))
        {
            throw new IllegalArgumentException("the members spec '" + text + "' has the host '" + host
                + "'; give a host name or an IPv4 address");
        }
        return new MembersSpec(count, host, basePort);
    }

    private static int number(final String digits, final String what, final String text, final String form)
    {
        try
        {
            return Integer.parseInt(digits.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("the members spec '" + text + "' has the " + what + " '" + digits
                + "', not a number; " + form);
        }
    }

    /**
     * @param member a member id.
     * @param offset {@link #INGRESS} .. {@link #ARCHIVE}.
     * @return that port.
     */
    public int port(final int member, final int offset)
    {
        return basePort + member * PORT_STRIDE + offset;
    }

    /**
     * @param member a member id.
     * @return {@code host:port} of that member's port.
     */
    public String endpoint(final int member, final int offset)
    {
        return host + ":" + port(member, offset);
    }

    /**
     * @param member a member id.
     * @throws IllegalArgumentException if it is not one of the spec's.
     */
    public void checkMember(final int member)
    {
        if (member < 0 || member >= count)
        {
            throw new IllegalArgumentException("node id " + member + " is not a member of " + this + "; give 0.."
                + (count - 1));
        }
    }

    /** @return Aeron's members string. */
    public String aeronMembers()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.append(i == 0 ? "" : "|").append(i);
            for (int offset = INGRESS; offset <= ARCHIVE; offset++)
            {
                text.append(',').append(endpoint(i, offset));
            }
        }
        return text.toString();
    }

    /** @return the client's ingress endpoints. */
    public String ingressEndpoints()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.append(i == 0 ? "" : ",").append(i).append('=').append(endpoint(i, INGRESS));
        }
        return text.toString();
    }

    /**
     * @param member a member id.
     * @return that member's media driver directory.
     */
    public File aeronDirectory(final int member)
    {
        return new File("/dev/shm/aeron-stockflow-" + basePort + "-" + member);
    }

    @Override
    public String toString()
    {
        return count + "@" + host + ":" + basePort;
    }
}
