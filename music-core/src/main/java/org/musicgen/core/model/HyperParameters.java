package org.musicgen.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads hyper-parameters given by name as text, with messages a user can act on. */
public final class HyperParameters {
    private final Map<String, String> values;

    public HyperParameters(Map<String, String> values) {
        this.values = values == null ? Map.of() : values;
    }

    /**
     * A reader of {@code values} that refuses, first, any name not among {@code accepted}.
     *
     * @param model the model's name for the message ("LSTM")
     */
    public static HyperParameters of(Map<String, String> values, Set<String> accepted, String model) {
        for (String key : values == null ? Set.<String>of() : values.keySet()) {
            if (!accepted.contains(key)) {
                throw new IllegalArgumentException("unknown " + model + " hyper-parameter '" + key + "'; accepted: "
                        + String.join(", ", accepted.stream().sorted().toList()));
            }
        }
        return new HyperParameters(values);
    }

    private String raw(String key) {
        String v = values.get(key);
        return v == null ? null : v.trim();
    }

    public int integer(String key, int fallback) {
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

    public long longValue(String key, long fallback) {
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

    public double decimal(String key, double fallback) {
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

    public boolean bool(String key, boolean fallback) {
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

    public String string(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    public int[] integers(String key, int[] fallback) {
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

    /** A list of integers ("256,512", or as a list prints: "[256, 512]"). */
    public List<Integer> integerList(String key, List<Integer> fallback) {
        return Arrays.stream(integers(key, fallback.stream().mapToInt(Integer::intValue).toArray())).boxed().toList();
    }

    /** Refuses a value outside [min, max], by name. */
    public static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
