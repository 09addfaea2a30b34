package io.stockflow.journal.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a slow test class or method: child JVMs, kill -9 and corruption trials, long random
 * runs, fuzzing. It carries the JUnit tag {@code slow}, so {@code mvn -B verify} runs it like
 * any other and {@code mvn -B verify -Dsurefire.excludedGroups=slow} leaves it out for a quick
 * pass. Use this rather than the string {@code @Tag("slow")}, so the tag cannot be misspelt.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("slow")
public @interface Slow
{
}
