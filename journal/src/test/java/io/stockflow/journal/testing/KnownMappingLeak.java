package io.stockflow.journal.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a known, not yet fixed leak of Chronicle mappings on a path a test drives on purpose, so that
 * {@link LeakCheckExtension} prints the leaked mappings with the reason instead of failing the test; leaked
 * threads, file descriptors and uncaught exceptions still fail it. Each use names the bug; it is removed
 * with the fix.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KnownMappingLeak
{
    /** @return what leaks, on which path, and where the fix stands. */
    String value();
}
