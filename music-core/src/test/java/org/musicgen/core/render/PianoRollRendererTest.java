package org.musicgen.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.SyntheticCorpus;

class PianoRollRendererTest {

    /** Four ticks per beat: C4 loud in beat 0, G4 soft in beat 1, E4 medium in beat 2. */
    private static final Score SCORE = new Score(4, List.of(
            new Note(60, 100, 0, 0, 4, 0, 0.5),
            new Note(67, 30, 0, 4, 4, 0.5, 0.5),
            new Note(64, 64, 0, 8, 4, 1.0, 0.5)));

    /** 40 pixels per beat and 10 per semitone: 3 beats x pitches 58..69 give 120 x 120. */
    private final PianoRollRenderer renderer = new PianoRollRenderer(40, 10, 2400, 800);

    private static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static int rgb(Color c) {
        return c.getRGB();
    }

    @Test
    void pngDecodesWithTheExpectedSizeWithoutADisplay() throws Exception {
        assertTrue(GraphicsEnvironment.isHeadless());
        byte[] png = renderer.png(SCORE);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        BufferedImage image = decode(png);
        assertEquals(120, image.getWidth());
        assertEquals(120, image.getHeight());
        PianoRollRenderer.Layout layout = renderer.layout(SCORE);
        assertEquals(new PianoRollRenderer.Layout(120, 120, 4, 12, 58, 69), layout);
    }

    @Test
    void notesAreDrawnWhereTheyAreAndNothingElsewhere() throws Exception {
        BufferedImage image = decode(renderer.png(SCORE));
        int background = rgb(PianoRollRenderer.BACKGROUND);
        // C4 occupies x 0..39 (ticks 0..4) and y 90..99 (row 69 - 60 = 9 from the top)
        int loud = image.getRGB(20, 95);
        assertNotEquals(background, loud);
        assertEquals(rgb(PianoRollRenderer.shade(100)), loud);
        // G4 in beat 1, rows 20..29
        int soft = image.getRGB(60, 25);
        assertEquals(rgb(PianoRollRenderer.shade(30)), soft);
        assertTrue(brightness(loud) < brightness(soft), "louder notes are darker");
        // no note in row G#4 during beat 2
        assertEquals(background, image.getRGB(100, 15));
        assertEquals(background, image.getRGB(20, 25));
        // grid: a beat line at x = 80, the C4 reference line on the row's last pixel row
        assertEquals(rgb(PianoRollRenderer.BEAT_LINE), image.getRGB(80, 15));
        assertEquals(rgb(PianoRollRenderer.C_LINE), image.getRGB(100, 99));
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }

    @Test
    void sizeStaysWithinTheLimits() throws Exception {
        BufferedImage small = decode(new PianoRollRenderer(40, 10, 100, 60).png(SCORE));
        assertEquals(100, small.getWidth());
        assertEquals(60, small.getHeight());
        // a whole synthetic piece at default settings: squeezed to the width limit
        Score piece = new MidiReader().read(new SyntheticCorpus(3).piece(0).midi());
        BufferedImage roll = new PianoRollRenderer().image(piece);
        assertTrue(roll.getWidth() <= PianoRollRenderer.DEFAULT_MAX_WIDTH && roll.getWidth() > 1000, "" + roll.getWidth());
        assertTrue(roll.getHeight() <= PianoRollRenderer.DEFAULT_MAX_HEIGHT);
    }

    @Test
    void deterministicAndEmptyScoresGiveAGrid() throws Exception {
        assertArrayEquals(renderer.png(SCORE), renderer.png(SCORE));
        BufferedImage empty = decode(renderer.png(new Score(480, List.of())));
        assertEquals(160, empty.getWidth()); // one bar
        assertEquals(120, empty.getHeight()); // C4..B4
        assertEquals(rgb(PianoRollRenderer.BACKGROUND), empty.getRGB(20, 20));
    }

    @Test
    void denseScoresStillShowEveryNote() {
        // 2000 sixteenth notes squeezed into 100 pixels: every note keeps at least one pixel
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            notes.add(new Note(60, 80, 0, i, 1, i * 0.125, 0.125));
        }
        BufferedImage image = new PianoRollRenderer(40, 10, 100, 100).image(new Score(4, notes));
        assertEquals(100, image.getWidth());
        assertNotEquals(rgb(PianoRollRenderer.BACKGROUND), image.getRGB(50, 25)); // row of C4: pitches 58..62, 10 px each
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new PianoRollRenderer(0, 10, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new PianoRollRenderer(10, 10, 8, 100));
    }
}
