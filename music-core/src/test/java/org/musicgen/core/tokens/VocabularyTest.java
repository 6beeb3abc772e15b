package org.musicgen.core.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static final Map<String, Long> COUNTS = Map.of(
            "n60:4", 10L, "r:2", 3L, "n62:4", 10L, "c48.52.55:16+0", 7L, "n90:1", 1L);

    @Test
    void unknownFirstThenDescendingCountThenText() {
        Vocabulary v = Vocabulary.build(COUNTS, 100, 1);

        assertEquals(List.of("<unk>", "n60:4", "n62:4", "c48.52.55:16+0", "r:2", "n90:1"), v.tokens());
        assertEquals(6, v.size());
        assertEquals(1, v.indexOf("n60:4"));
        assertEquals(10, v.countAt(2));
        assertEquals("r:2", v.tokenAt(4));
        assertEquals(0, v.countAt(0));
    }

    @Test
    void minCountAndMaxSizeSendTheRestToUnknown() {
        Vocabulary v = Vocabulary.build(COUNTS, 4, 2);

        assertEquals(List.of("<unk>", "n60:4", "n62:4", "c48.52.55:16+0"), v.tokens());
        assertEquals(0, v.indexOf("r:2"));
        assertEquals(0, v.indexOf("n90:1"));
        assertEquals(0, v.indexOf("never seen"));
        assertEquals(3 + 1, v.countAt(0)); // r:2 (beyond maxSize) and n90:1 (below minCount)
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(COUNTS, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(COUNTS, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> v.tokenAt(4));
    }

    @Test
    void encodeAndDecodeSkipUnknown() {
        List<Token> seq = List.of(Token.parse("n60:4"), Token.parse("n61:4"), Token.parse("r:2"));
        Vocabulary v = Vocabulary.fromTokens(List.of(seq, List.of(Token.parse("n60:4"))), 100, 2);

        int[] ids = v.encode(seq);

        assertArrayEquals(new int[] {1, 0, 0}, ids);
        assertEquals(List.of(Token.parse("n60:4")), v.decode(ids));
        assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {5}));
    }

    @Test
    void countsTokensOverSequences() {
        Map<String, Long> counts = Vocabulary.countTokens(List.of(
                List.of(Token.note(60, 4), Token.rest(2)), List.of(Token.note(60, 4))));

        assertEquals(Map.of("n60:4", 2L, "r:2", 1L), counts);
    }

    @Test
    void serialisationRoundTrip() throws IOException {
        Vocabulary v = Vocabulary.build(COUNTS, 5, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        v.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        Vocabulary back = Vocabulary.readFrom(new ByteArrayInputStream(out.toByteArray()));

        assertTrue(text.startsWith("<unk>\t1\nn60:4\t10\nn62:4\t10\n"), text);
        assertEquals(v, back);
        assertEquals(v.tokens(), back.tokens());
        assertEquals(1, back.countAt(0));
    }

    @Test
    void malformedFilesAreRejected() {
        for (String bad : new String[] {"", "n60:4\t3\n", "<unk>\t0\nn60:4\n", "<unk>\t0\nn60:4\tmany\n",
            "<unk>\t0\nn60:4\t1\nn60:4\t1\n"}) {
            assertThrows(IOException.class,
                    () -> Vocabulary.readFrom(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))), bad);
        }
    }
}
