package io.stockflow.journal.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a test (method or class) makes a thread die of an uncaught exception on
 * purpose, so that {@link LeakCheckExtension} accepts exceptions of these classes (simple
 * names, since the journal's test-jar cannot name the engine's classes) and still fails the
 * test on any other. The engine's halt is the case in point: a failing stage records the halt
 * and ends its thread by throwing {@code StageHaltedException}, so a test that provokes a halt
 * declares {@code @ExpectedUncaughtExceptions("StageHaltedException")}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ExpectedUncaughtExceptions
{
    /** @return simple class names of the exceptions the test expects to end a thread. */
    String[] value();
}
