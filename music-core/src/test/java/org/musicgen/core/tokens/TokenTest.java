package org.musicgen.core.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenTest {

    @Test
    void textForms() {
        assertEquals("n60:4", Token.note(60, 4).text());
        assertEquals("c48.52.55:16", new Token(Token.Kind.CHORD, new int[] {48, 52, 55}, 16, 16).text());
        assertEquals("c48.52.55:16+0", new Token(Token.Kind.CHORD, new int[] {48, 52, 55}, 16, 0).text());
        assertEquals("n72:4+2", new Token(Token.Kind.NOTE, new int[] {72}, 4, 2).text());
        assertEquals("r:2", Token.rest(2).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"n60:4", "c48.52.55:16", "c48.52.55:16+0", "n72:4+2", "r:2", "n0:1+64", "c0.127:64"})
    void parseIsTheInverseOfText(String text) {
        assertEquals(text, Token.parse(text).text());
    }

    @Test
    void parseReadsTheFields() {
        Token t = Token.parse("c48.52.55:16+0");
        assertEquals(Token.Kind.CHORD, t.kind());
        assertArrayEquals(new int[] {48, 52, 55}, t.pitches());
        assertEquals(16, t.duration());
        assertEquals(0, t.advance());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x60:4", "n60", "n60:0", "n-1:4", "n128:4", "c60:4", "c60.55:4", "c60.60:4",
        "r:4+2", "r60:4", "n060:4", "n60:4+4", "n60:4+", "n:4", "c48..52:4", "n60:4+-1", ":4", "n60:99999999999"})
    void badTextIsRejectedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Token.parse(text));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void equalityIsByArrayContent() {
        Token a = new Token(Token.Kind.CHORD, new int[] {48, 52}, 4, 0);
        Token b = new Token(Token.Kind.CHORD, new int[] {48, 52}, 4, 0);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Token(Token.Kind.CHORD, new int[] {48, 53}, 4, 0));
        assertNotEquals(a, new Token(Token.Kind.CHORD, new int[] {48, 52}, 4, 4));
    }

    @Test
    void pitchesCannotBeChangedFromOutside() {
        int[] pitches = {60};
        Token t = new Token(Token.Kind.NOTE, pitches, 4, 4);
        pitches[0] = 61;
        t.pitches()[0] = 62;
        assertEquals("n60:4", t.text());
    }
}
