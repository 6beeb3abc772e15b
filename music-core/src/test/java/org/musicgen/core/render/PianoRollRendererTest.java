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
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
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

    /** SHA-256 of the image's pixels, row by row. */
    private static String pixels(BufferedImage image) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(8 + 4 * image.getWidth() * image.getHeight());
        bytes.putInt(image.getWidth()).putInt(image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                bytes.putInt(image.getRGB(x, y));
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    /**
     * A piece without drums is drawn as before the drum band existed: the hashes of two rolls' pixels as the renderer
     * of commit 24da286 (the last without drums) drew them.
     */
    @Test
    void scoresWithoutDrumsAreDrawnAsBefore() throws Exception {
        Score piece = new MidiReader().read(new SyntheticCorpus(3).piece(0).midi());
        assertEquals("bfa54502beeb6346332d8d2555f2a4150702ee0ba82248a21c4193484435b008", pixels(new PianoRollRenderer().image(piece)), "a synthetic piece");
        assertEquals("76445c74407d9cbe84d1557ab8c56148cbe7f75021bbe46ac2d7b0fde1e15156", pixels(renderer.image(SCORE)), "three notes");
    }

    /** C4 and E4 in beats 0..3 (four ticks a beat), and a hit of every drum at its own tick. */
    private static Score withDrums() {
        List<Note> notes = new ArrayList<>(List.of(new Note(60, 100, 0, 0, 8, 0, 1), new Note(64, 60, 0, 8, 8, 1, 1)));
        for (int drum = 0; drum < DrumKit.CLASSES; drum++) {
            notes.add(new Note(DrumKit.pitchOf(drum), 20 + 10 * drum, DrumKit.CHANNEL, drum, 1, drum / 8.0, 0.01));
        }
        return new Score(4, notes);
    }

    @Test
    void drumHitsAreDrawnInABandOfTheirOwnWithLabelledRows() throws Exception {
        Score score = withDrums();
        PianoRollRenderer.Layout l = renderer.layout(score);
        assertTrue(l.hasDrums());
        // the piano's rows cover its notes (C4, E4) and the margin, not the drums' pitches (36 to 51)
        assertEquals(58, l.lowestPitch());
        assertEquals(66, l.highestPitch());
        assertEquals(10, l.drumRowHeight(), "a drum row is as high as a pitch row");
        assertEquals(l.height() + PianoRollRenderer.SEPARATOR_HEIGHT, l.drumTop());
        BufferedImage image = renderer.image(score);
        assertEquals(l.left() + 160, image.getWidth(), "the label column and 4 beats");
        assertEquals(l.drumTop() + DrumKit.CLASSES * 10, image.getHeight());
        assertEquals(rgb(PianoRollRenderer.SEPARATOR), image.getRGB(l.x(2), l.height() + 1), "the bar between");
        for (int drum = 0; drum < DrumKit.CLASSES; drum++) {
            int top = l.drumRowTop(drum);
            String name = DrumKit.name(drum);
            // the hit, at its tick, in its row only
            assertEquals(rgb(PianoRollRenderer.hitShade(20 + 10 * drum)), image.getRGB(l.x(drum) + 1, top + 4), name);
            for (int other = 0; other < DrumKit.CLASSES; other++) {
                int y = l.drumRowTop(other) + 4;
                if (other != drum && Math.abs(l.x(other) - l.x(drum)) > PianoRollRenderer.HIT_WIDTH) {
                    assertEquals(rgb(PianoRollRenderer.BACKGROUND), image.getRGB(l.x(drum) + 1, y),
                            name + " is not drawn in the row of " + DrumKit.name(other));
                }
            }
            int label = 0;
            for (int y = top; y < top + 10; y++) {
                for (int x = 0; x < l.left(); x++) {
                    label += image.getRGB(x, y) == rgb(PianoRollRenderer.LABEL) ? 1 : 0;
                }
            }
            assertTrue(label >= 8, name + "'s row is labelled: " + label + " pixels");
        }
        // cymbals above, kick at the bottom
        assertTrue(l.drumRowTop(DrumKit.CRASH) < l.drumRowTop(DrumKit.SNARE));
        assertEquals(l.drumTop() + 8 * 10, l.drumRowTop(DrumKit.KICK));
        // the piano's notes where they were, shifted right by the label column: C4 in row 66 - 60 = 6
        int c4 = l.rowTop(60) + 5;
        assertEquals(rgb(PianoRollRenderer.shade(100)), image.getRGB(l.x(4), c4));
        assertEquals(rgb(PianoRollRenderer.LABEL_BACKGROUND), image.getRGB(1, c4), "no label beside the piano");
    }

    @Test
    void drumsAloneAndTightLimitsStillDrawEveryHit() throws Exception {
        Score drums = withDrums().drums();
        PianoRollRenderer.Layout l = renderer.layout(drums);
        assertEquals(0, l.drumTop(), "no piano rows, no bar");
        BufferedImage image = renderer.image(drums);
        assertEquals(DrumKit.CLASSES * 10, image.getHeight());
        assertEquals(rgb(PianoRollRenderer.hitShade(20)), image.getRGB(l.x(0) + 1, l.drumRowTop(DrumKit.KICK) + 2));
        // squeezed into 60 pixels: rows of (60 - 16 - 4) / 9 = 4 pixels, no labels, every hit still there
        PianoRollRenderer small = new PianoRollRenderer(40, 10, 200, 60);
        PianoRollRenderer.Layout s = small.layout(withDrums());
        BufferedImage tight = small.image(withDrums());
        assertEquals(60, tight.getHeight());
        assertEquals(4, s.drumRowHeight());
        for (int drum = 0; drum < DrumKit.CLASSES; drum++) {
            assertEquals(rgb(PianoRollRenderer.hitShade(20 + 10 * drum)), tight.getRGB(s.x(drum), s.drumRowTop(drum)),
                    DrumKit.name(drum));
        }
    }
}
