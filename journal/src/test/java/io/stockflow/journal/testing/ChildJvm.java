package io.stockflow.journal.testing;

import io.stockflow.journal.JvmFlags;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class with the current java, the test class path and the
 * Chronicle flags of {@link JvmFlags#forCurrentJvm()}. Its standard output is read line by line
 * so the parent can wait for a readiness line; its standard error goes to a file.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final BufferedReader stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr)
    {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stderr = stderr;
    }

    /**
     * @param withChronicleFlags false to start the child without the flags (to test the check)
     * @param mainClass          the main class, on the test class path
     * @param args               its arguments
     * @return the started child
     * @throws IOException if it cannot be started
     */
    public static ChildJvm start(boolean withChronicleFlags, Class<?> mainClass, String... args) throws IOException
    {
        return startUnder(List.of(), withChronicleFlags, mainClass, args);
    }

    /**
     * Starts the child JVM under another program, for example {@code strace} injecting errors.
     *
     * @param wrapper            the program and its arguments, followed by the java command line
     * @param withChronicleFlags false to start the child without the flags
     * @param mainClass          the main class, on the test class path
     * @param args               its arguments
     * @return the started child (its pid is the wrapper's)
     * @throws IOException if it cannot be started
     */
    public static ChildJvm startUnder(List<String> wrapper, boolean withChronicleFlags, Class<?> mainClass,
        String... args) throws IOException
    {
        String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(wrapper);
        command.add(java);
        if (withChronicleFlags)
        {
            command.addAll(JvmFlags.forCurrentJvm());
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("stockflow-child-", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    /**
     * @param prefix  the start of the awaited line
     * @param seconds how long to wait
     * @return the line
     * @throws IOException if the child ends or the wait times out first
     */
    public String awaitLine(String prefix, long seconds) throws IOException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            if (stdout.ready() || !process.isAlive())
            {
                String line = stdout.readLine();
                if (line == null)
                {
                    throw new IOException("child ended before printing '" + prefix + "'; stderr: " + stderrText());
                }
                if (line.startsWith(prefix))
                {
                    return line;
                }
            }
            else
            {
                try
                {
                    Thread.sleep(5);
                }
                catch (InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
        throw new IOException("child did not print '" + prefix + "' within " + seconds + " s; stderr: " + stderrText());
    }

    /**
     * @return the reader of the child's standard output, for a parent that consumes every line
     *         itself (after {@link #awaitLine}, which reads through the same reader)
     */
    public BufferedReader stdoutReader()
    {
        return stdout;
    }

    /** @return the child's pid */
    public long pid()
    {
        return process.pid();
    }

    /** @return the underlying process */
    public Process process()
    {
        return process;
    }

    /** Sends SIGKILL (on Linux) and waits for the child to be reaped. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("child " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /**
     * @param seconds how long to wait
     * @return the exit code
     */
    public int waitForExit(long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child " + process.pid() + " did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** @return everything the child wrote to standard error so far */
    public String stderrText()
    {
        try
        {
            return Files.readString(stderr);
        }
        catch (IOException e)
        {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }

    /** @return the rest of standard output, after the child ended */
    public String remainingStdout() throws IOException
    {
        StringBuilder text = new StringBuilder();
        for (String line; (line = stdout.readLine()) != null;)
        {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        stdout.close();
        process.getOutputStream().close();
        process.getErrorStream().close();
        Files.deleteIfExists(stderr);
    }
}
