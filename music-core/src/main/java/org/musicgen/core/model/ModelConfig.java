package org.musicgen.core.model;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hyper-parameters of one model kind: a validated record whose every component is a hyper-parameter by name.
 * The kinds are listed once, in {@code ModelKind}.
 */
public interface ModelConfig {

    /** Passes over the training set at most. */
    int epochs();

    /** Seed of the parameter initialisation and of the training order. */
    long seed();

    /** Every hyper-parameter by component name, as text: what a checkpoint stores, explicitly, defaults included. */
    default Map<String, String> values() {
        Map<String, String> values = new TreeMap<>();
        for (RecordComponent component : getClass().getRecordComponents()) {
            try {
                values.put(component.getName(), String.valueOf(component.getAccessor().invoke(this)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return values;
    }
}
