package org.musicgen.generator.generation;

import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.PerformanceEncoding;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CutToSecondsTest {

    private final PerformanceEncoding encoding = new PerformanceEncoding();

    @Test
    void keepsTheShortestPrefixThatPlaysTheSecondsAsked() {
        int[] ids = new int[150];
        for (int i = 0; i < ids.length; i += 3) {
            ids[i] = PerformanceEncoding.NOTE_ON + 60 + (i % 12);
            ids[i + 1] = PerformanceEncoding.TIME_SHIFT + 9;
            ids[i + 2] = PerformanceEncoding.NOTE_OFF + 60 + (i % 12);
        }
        double all = encoding.decode(ids).lengthSeconds();
        double asked = all / 2;
        int[] cut = SampleService.cutToSeconds(ids, encoding, asked);
        assertArrayEquals(Arrays.copyOf(ids, cut.length), cut, "a prefix");
        assertTrue(encoding.decode(cut).lengthSeconds() >= asked, "it plays what was asked");
        assertTrue(encoding.decode(Arrays.copyOf(ids, cut.length - 1)).lengthSeconds() < asked, "and no more");
        assertSame(ids, SampleService.cutToSeconds(ids, encoding, all + 1), "too short already: all of it");
    }
}
