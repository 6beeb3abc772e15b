package org.musicgen.core.baseline;

import java.util.Arrays;

/**
 * Open-addressing hash table from non-negative {@code long} keys to a fixed number of {@code int} columns, with
 * linear probing and no boxing. Used for packed n-gram and history keys. Entries are never removed. A slot number
 * stays valid only until the next {@link #insert} or {@link #trim}, which may move entries. Not thread-safe while
 * being filled; read-only use afterwards is safe from several threads.
 */
final class LongIntTable {
    private static final long EMPTY = -1L;
    private static final int MAX_CAPACITY = 1 << 30;
    /** Fill limit while inserting. */
    private static final double MAX_LOAD = 0.6;
    /** Fill after {@link #trim}: denser, for a table that is only read from then on. */
    private static final double TRIMMED_LOAD = 0.7;

    private final int width;
    private long[] keys;
    private int[] values;
    private int capacity;
    private int size;
    private int growAt;

    /**
     * @param width    int columns per key, at least 1
     * @param expected number of keys expected; the table grows beyond it when needed
     */
    LongIntTable(int width, int expected) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        this.width = width;
        allocate(capacityFor(expected, MAX_LOAD));
    }

    private static int capacityFor(int entries, double load) {
        long c = Math.max(16, (long) Math.ceil(entries / load) + 1);
        if (c > MAX_CAPACITY) {
            throw new IllegalStateException("hash table full: " + entries + " keys");
        }
        return (int) c;
    }

    private void allocate(int newCapacity) {
        keys = new long[newCapacity];
        Arrays.fill(keys, EMPTY);
        values = new int[Math.multiplyExact(newCapacity, width)];
        capacity = newCapacity;
        growAt = (int) (newCapacity * MAX_LOAD);
    }

    /** First slot to probe: a mixed hash mapped onto [0, capacity) by multiply-shift (any capacity works). */
    private int home(long key) {
        // the finaliser of MurmurHash3: packed n-grams differ mostly in their low digits
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (((h >>> 32) * capacity) >>> 32);
    }

    private int next(int slot) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    /** Slot of {@code key}, or -1 when absent. */
    int find(long key) {
        int slot = home(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY) {
                return -1;
            }
            slot = next(slot);
        }
    }

    /** Slot of {@code key}, adding it with all columns 0 when absent. */
    int insert(long key) {
        if (key < 0) {
            throw new IllegalArgumentException("keys must be non-negative, got " + key);
        }
        if (size >= growAt) {
            grow();
        }
        int slot = home(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY) {
                keys[slot] = key;
                size++;
                return slot;
            }
            slot = next(slot);
        }
    }

    private void grow() {
        if (capacity >= MAX_CAPACITY) {
            throw new IllegalStateException("hash table full: " + size + " keys");
        }
        rehash((int) Math.min(MAX_CAPACITY, 2L * capacity));
    }

    /** Shrinks the table to a denser fill once it is complete; slots change. */
    void trim() {
        int target = capacityFor(size, TRIMMED_LOAD);
        if (target < capacity) {
            rehash(target);
        }
    }

    private void rehash(int newCapacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(newCapacity);
        for (int i = 0; i < oldKeys.length; i++) {
            long k = oldKeys[i];
            if (k != EMPTY) {
                int slot = home(k);
                while (keys[slot] != EMPTY) {
                    slot = next(slot);
                }
                keys[slot] = k;
                System.arraycopy(oldValues, i * width, values, slot * width, width);
            }
        }
    }

    /** Column {@code column} of {@code key}, 0 when the key is absent. */
    int get(long key, int column) {
        int slot = find(key);
        return slot < 0 ? 0 : values[slot * width + column];
    }

    int value(int slot, int column) {
        return values[slot * width + column];
    }

    void add(int slot, int column, int delta) {
        int i = slot * width + column;
        values[i] = Math.addExact(values[i], delta);
    }

    int size() {
        return size;
    }

    /** Number of slots; iterate slots 0..capacity-1 and skip those whose {@link #keyAt} is negative. */
    int capacity() {
        return capacity;
    }

    /** Key in {@code slot}, or -1 for an empty slot. */
    long keyAt(int slot) {
        return keys[slot];
    }
}
