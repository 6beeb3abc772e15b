package org.musicgen.core.model;

import java.util.Locale;
import java.util.Map;

/** Parses named string overrides with messages a user can act on. */
final class ConfigValues {
    private final Map<String, String> values;

    ConfigValues(Map<String, String> values) {
        this.values = values;
    }

    private String raw(String key) {
        String v = values.get(key);
        return v == null ? null : v.trim();
    }

    int integer(String key, int fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    long longValue(String key, long fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    double decimal(String key, double fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a finite number, got '" + v + "'");
        }
    }

    boolean bool(String key, boolean fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        String s = v.toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
    }

    String string(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    int[] integers(String key, int[] fallback) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        // Also reads a list as String.valueOf(List) writes it ("[256, 512]"), the form checkpoints store.
        String[] parts = v.replace("[", "").replace("]", "").trim().split("[,\\s]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a comma-separated list of integers, got '" + v + "'");
            }
        }
        return out;
    }
}
