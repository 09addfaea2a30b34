package io.stockflow.journal;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * The wording of a file system failure for a person: the one place that says "permission denied" or "no
 * such file" for the exceptions whose own message is only a path, so the engine's start-up, the CLI's
 * commands and its error reporter say it the same way.
 */
public final class FileErrors
{
    private FileErrors()
    {
    }

    /**
     * @param failure what went wrong
     * @return a message that names the file and the reason
     */
    public static String describe(Throwable failure)
    {
        if (failure instanceof AccessDeniedException denied)
        {
            return "permission denied: " + pathAndReason(denied.getFile(), denied.getReason());
        }
        if (failure instanceof NoSuchFileException missing)
        {
            return "no such file: " + pathAndReason(missing.getFile(), missing.getReason());
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private static String pathAndReason(String file, String reason)
    {
        return reason == null ? String.valueOf(file) : file + " (" + reason + ")";
    }
}
