package org.musicgen.localstack;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of type {@link LocalStack} in a Quarkus test that uses {@link LocalStackTestResource}:
 * the running stack is injected there (e.g. to restart the broker in a fault test).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectLocalStack {
}
