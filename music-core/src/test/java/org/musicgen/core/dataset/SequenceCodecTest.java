package org.musicgen.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceCodecTest {

    private static final SequenceSet SMALL = new SequenceSet(3,
            List.of(new int[] {1, 2, 3}, new int[] {65535, 0, 7}, new int[] {4, 5, 6}), new int[] {0, 0, 2});

    @Test
    void roundTripWithTwoByteIds() {
        byte[] bytes = SequenceCodec.encode(SMALL);

        assertEquals("MGSQ", new String(bytes, 0, 4));
        assertEquals(14 + 3 * (4 + 3 * 2), bytes.length);
        SequenceSet back = SequenceCodec.decode(bytes);
        assertEquals(SMALL, back);
        assertArrayEquals(new int[] {65535, 0, 7}, back.sequences().get(1));
        assertArrayEquals(new int[] {0, 0, 2}, back.sourceIndex());
    }

    @Test
    void roundTripWithFourByteIds() {
        SequenceSet big = new SequenceSet(2, List.of(new int[] {70_000, 1}), new int[] {5});

        byte[] bytes = SequenceCodec.encode(big);

        assertEquals(14 + 4 + 2 * 4, bytes.length);
        assertEquals(big, SequenceCodec.decode(bytes));
    }

    @Test
    void emptySetRoundTrips() {
        SequenceSet empty = new SequenceSet(100, List.of(), new int[0]);
        assertEquals(empty, SequenceCodec.decode(SequenceCodec.encode(empty)));
    }

    @Test
    void corruptInputIsRejectedWithReasons() {
        byte[] good = SequenceCodec.encode(SMALL);

        assertMessage("not a sequence file", new byte[] {1, 2, 3});
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertMessage("missing MGSQ magic", magic);
        byte[] version = good.clone();
        version[4] = 9;
        assertMessage("unsupported sequence file version 9", version);
        byte[] width = good.clone();
        width[5] = 3;
        assertMessage("invalid token width 3", width);
        assertMessage("truncated", Arrays.copyOf(good, good.length - 1));
        assertMessage("trailing bytes", Arrays.copyOf(good, good.length + 2));
        byte[] count = good.clone();
        count[10] = (byte) 0x7f; // absurd sequence count
        assertMessage("truncated", count);
    }

    private static void assertMessage(String expected, byte[] data) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceCodec.decode(data));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void sequenceSetValidatesItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceSet(3, List.of(new int[] {1, 2}), new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new SequenceSet(2, List.of(new int[] {1, 2}), new int[0]));
    }
}
