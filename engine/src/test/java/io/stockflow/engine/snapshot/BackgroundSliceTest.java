package io.stockflow.engine.snapshot;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackgroundSliceTest
{
    @Test
    void yieldsOnceTheSliceIsUsedUpAndStartsANewOne()
    {
        final BackgroundSlice everyCheck = new BackgroundSlice(0);
        for (int i = 0; i < 5; i++)
        {
            everyCheck.check();
        }
        assertEquals(5, everyCheck.yields());

        final BackgroundSlice anHour = new BackgroundSlice(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 1_000; i++)
        {
            anHour.check();
        }
        assertEquals(0, anHour.yields());
    }

    @Test
    void theNoneSliceNeverYields()
    {
        for (int i = 0; i < 1_000; i++)
        {
            BackgroundSlice.NONE.check();
        }
        assertEquals(0, BackgroundSlice.NONE.yields());
    }
}
