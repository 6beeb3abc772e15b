package org.musicgen.core.tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a token-id stream into fixed-length training windows starting at 0, stride, 2*stride, ...
 * A stream shorter than the window length yields no window; a tail that does not fill a whole
 * window is dropped (windows are never padded). Immutable and thread-safe.
 */
public final class Segmenter {

    private final int length;
    private final int stride;

    public Segmenter(int length, int stride) {
        if (length < 2) {
            throw new IllegalArgumentException("segment length must be >= 2 (an input and a target token), was "
                    + length);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("segment stride must be >= 1, was " + stride);
        }
        this.length = length;
        this.stride = stride;
    }

    public int length() {
        return length;
    }

    public int stride() {
        return stride;
    }

    /** Number of windows {@link #segment(int[])} returns for a stream of {@code size} ids. */
    public int count(int size) {
        return size < length ? 0 : (size - length) / stride + 1;
    }

    public List<int[]> segment(int[] ids) {
        List<int[]> windows = new ArrayList<>(count(ids.length));
        for (int start = 0; start + length <= ids.length; start += stride) {
            windows.add(Arrays.copyOfRange(ids, start, start + length));
        }
        return windows;
    }
}
