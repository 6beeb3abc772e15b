package org.musicgen.core.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

class PerformanceGrammarTest {

    private final PerformanceEncoding encoding = new PerformanceEncoding();

    private static int on(int pitch) {
        return PerformanceEncoding.NOTE_ON + pitch;
    }

    private static int off(int pitch) {
        return PerformanceEncoding.NOTE_OFF + pitch;
    }

    private static int shift(int steps) {
        return PerformanceEncoding.TIME_SHIFT + steps - 1;
    }

    @Test
    void everyEncodedPieceIsAllowedEventByEvent() throws Exception {
        for (GeneratedPiece piece : new SyntheticCorpus(5).generate(8)) {
            int[] ids = encoding.encode(MidiReader.sounding().read(piece.midi()));
            EventGrammar grammar = encoding.grammar();
            for (int i = 0; i < ids.length; i++) {
                assertTrue(grammar.allows(ids[i]), piece.fileName() + " event " + i + " "
                        + encoding.describe(ids[i]));
                grammar.accept(ids[i]);
            }
        }
    }

    @Test
    void aKeyIsStruckOnlyWhenSilentAndReleasedOnlyWhenSounding() {
        EventGrammar grammar = encoding.grammar();
        assertFalse(grammar.allows(off(60)), "nothing sounds yet");
        assertTrue(grammar.allows(on(60)));
        grammar.accept(on(60));
        assertFalse(grammar.allows(on(60)), "60 already sounds");
        assertTrue(grammar.allows(off(60)));
        assertFalse(grammar.allows(off(61)));
        grammar.accept(off(60));
        assertTrue(grammar.allows(on(60)), "released, it may be struck again");
        assertFalse(grammar.allows(off(60)));
    }

    @Test
    void noKeySoundsLongerThanTheMaximumHold() {
        EventGrammar grammar = encoding.grammar();
        grammar.accept(on(60));
        for (int i = 0; i < 4; i++) {
            grammar.accept(shift(100));
        }
        grammar.accept(on(64)); // 4 s later
        assertTrue(grammar.allows(shift(100)), "60 has sounded 4 s of its 5");
        grammar.accept(shift(60));
        assertTrue(grammar.allows(shift(40)));
        assertFalse(grammar.allows(shift(41)), "would carry 60 past 5 s");
        grammar.accept(shift(40));
        int[] allowed = IntStream.range(0, encoding.size()).filter(grammar::allows).toArray();
        assertEquals(1, allowed.length, "at 5 s only releasing 60 is allowed");
        assertEquals(off(60), allowed[0]);
        grammar.accept(off(60));
        assertTrue(grammar.allows(off(64)) && grammar.allows(on(60)) && grammar.allows(shift(100)));
    }

    @Test
    void aPromptThatStartsMidPieceIsTakenAsItComes() {
        EventGrammar grammar = encoding.grammar();
        grammar.accept(off(50)); // released a key struck before the prompt began
        grammar.accept(on(62));
        grammar.accept(on(62)); // struck again: a restart
        assertTrue(grammar.allows(off(62)));
        assertTrue(IntStream.range(0, encoding.size()).anyMatch(grammar::allows));
    }
}
