package org.musicgen.core.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SegmenterTest {

    @Test
    void windowsStartAtMultiplesOfTheStride() {
        int[] ids = IntStream.range(0, 10).toArray();

        List<int[]> windows = new Segmenter(4, 3).segment(ids);

        assertEquals(3, windows.size()); // starts 0, 3, 6; start 9 would run past the end
        assertArrayEquals(new int[] {0, 1, 2, 3}, windows.get(0));
        assertArrayEquals(new int[] {3, 4, 5, 6}, windows.get(1));
        assertArrayEquals(new int[] {6, 7, 8, 9}, windows.get(2));
        assertEquals(3, new Segmenter(4, 3).count(10));
    }

    @Test
    void exactLengthGivesOneWindowShorterGivesNone() {
        assertEquals(1, new Segmenter(5, 2).segment(new int[5]).size());
        assertTrue(new Segmenter(5, 2).segment(new int[4]).isEmpty());
        assertTrue(new Segmenter(5, 2).segment(new int[0]).isEmpty());
    }

    @Test
    void windowsAreCopies() {
        int[] ids = {1, 2, 3};
        List<int[]> windows = new Segmenter(2, 1).segment(ids);
        windows.get(0)[0] = 99;
        assertEquals(1, ids[0]);
        assertArrayEquals(new int[] {2, 3}, windows.get(1));
    }

    @Test
    void invalidSettingsAreRejectedWithReasons() {
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> new Segmenter(1, 1));
        assertTrue(len.getMessage().contains("length must be >= 2"), len.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class, () -> new Segmenter(4, 0));
        assertTrue(stride.getMessage().contains("stride must be >= 1"), stride.getMessage());
    }
}
