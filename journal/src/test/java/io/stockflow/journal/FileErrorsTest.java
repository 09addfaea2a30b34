package io.stockflow.journal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileErrorsTest
{
    @Test
    void namesTheReasonThatAnExceptionsOwnMessageLeavesOut()
    {
        // These exceptions' messages are the bare path; root never meets the first, so it is tested here.
        assertEquals("permission denied: /srv/engine", FileErrors.describe(new AccessDeniedException("/srv/engine")));
        assertEquals("permission denied: /srv/engine (read-only)",
            FileErrors.describe(new AccessDeniedException("/srv/engine", null, "read-only")));
        assertEquals("no such file: /srv/in.jsonl", FileErrors.describe(new NoSuchFileException("/srv/in.jsonl")));
        assertEquals("disk on fire", FileErrors.describe(new IOException("disk on fire")));
        assertEquals("IOException", FileErrors.describe(new IOException()));
    }
}
