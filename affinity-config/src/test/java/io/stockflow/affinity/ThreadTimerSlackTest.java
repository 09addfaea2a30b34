package io.stockflow.affinity;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadTimerSlackTest
{
    @Test
    void setsTheCallingThreadsSlackOnlyAndReadsItBack() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/timerslack_ns")), "needs Linux");
        final OptionalLong before = ThreadTimerSlack.currentThread();
        final AtomicReference<OptionalLong> set = new AtomicReference<>();
        final AtomicReference<OptionalLong> readAgain = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            set.set(ThreadTimerSlack.setForCurrentThread(1_000));
            readAgain.set(ThreadTimerSlack.currentThread());
        });
        thread.start();
        thread.join();
        assertEquals(OptionalLong.of(1_000), set.get());
        assertEquals(OptionalLong.of(1_000), readAgain.get());
        assertEquals(before, ThreadTimerSlack.currentThread(), "another thread's slack changed this one's");
        assertEquals(Long.parseLong(Files.readString(Path.of("/proc/self/timerslack_ns")).trim()),
            before.orElseThrow(), "the main thread's slack as /proc reports it");
    }

    @Test
    void refusesASlackBelowOneNanosecond()
    {
        assertThrows(IllegalArgumentException.class, () -> ThreadTimerSlack.setForCurrentThread(0));
    }
}
