package org.musicgen.core.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Draws a score as a piano-roll PNG: time (ticks) to the right, pitch upwards.
 *
 * <p>The time axis runs from tick 0 to the end of the last note, rounded up to a whole beat; the
 * pitch axis from {@value #PITCH_MARGIN} semitones below the lowest to {@value #PITCH_MARGIN}
 * above the highest pitch. At the preferred scale ({@code pixelsPerBeat}, {@code pixelsPerSemitone})
 * an image wider or taller than the limits is squeezed to fit them (and one smaller than 16
 * pixels is stretched to 16). Light vertical lines mark
 * beats, darker ones 4/4 bars (each left out where they would be closer than
 * {@value #MIN_GRID_SPACING} pixels); a blue-grey line under every C row is the pitch reference.
 * Notes are filled rectangles, darker the louder they are. A score without notes gives an empty
 * grid of one bar over C4..B4. No text is drawn, so no fonts are needed.
 *
 * <p>Only {@link BufferedImage} and {@link ImageIO} are used: no display is needed, and
 * {@code java.awt.headless=true} works. Output is deterministic. Immutable and thread-safe.
 */
public final class PianoRollRenderer {

    public static final int DEFAULT_PIXELS_PER_BEAT = 40;
    public static final int DEFAULT_PIXELS_PER_SEMITONE = 8;
    public static final int DEFAULT_MAX_WIDTH = 2400;
    public static final int DEFAULT_MAX_HEIGHT = 800;
    public static final int PITCH_MARGIN = 2;
    public static final int BEATS_PER_BAR = 4;
    static final int MIN_GRID_SPACING = 4;

    public static final Color BACKGROUND = new Color(0xFAFAFA);
    public static final Color BEAT_LINE = new Color(0xE8E8E8);
    public static final Color BAR_LINE = new Color(0xC8C8C8);
    public static final Color C_LINE = new Color(0xB4C3D7);
    private static final Color SOFT = new Color(0xB4CDF0);
    private static final Color LOUD = new Color(0x143C96);
    private static final Color OUTLINE = new Color(0x0A1E50);

    private final int pixelsPerBeat;
    private final int pixelsPerSemitone;
    private final int maxWidth;
    private final int maxHeight;

    /** 40 pixels per beat, 8 per semitone, at most 2400 x 800. */
    public PianoRollRenderer() {
        this(DEFAULT_PIXELS_PER_BEAT, DEFAULT_PIXELS_PER_SEMITONE, DEFAULT_MAX_WIDTH, DEFAULT_MAX_HEIGHT);
    }

    /**
     * @param pixelsPerBeat     preferred width of a quarter note, at least 1
     * @param pixelsPerSemitone preferred height of a pitch row, at least 1
     * @param maxWidth          width limit, 16..16384
     * @param maxHeight         height limit, 16..16384
     */
    public PianoRollRenderer(int pixelsPerBeat, int pixelsPerSemitone, int maxWidth, int maxHeight) {
        if (pixelsPerBeat < 1 || pixelsPerSemitone < 1) {
            throw new IllegalArgumentException("pixels per beat and per semitone must be >= 1, were "
                    + pixelsPerBeat + " and " + pixelsPerSemitone);
        }
        if (maxWidth < 16 || maxWidth > 16_384 || maxHeight < 16 || maxHeight > 16_384) {
            throw new IllegalArgumentException("width and height limits must be 16..16384, were "
                    + maxWidth + " and " + maxHeight);
        }
        this.pixelsPerBeat = pixelsPerBeat;
        this.pixelsPerSemitone = pixelsPerSemitone;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
    }

    /**
     * Where things are drawn: the image size and the mapping of ticks and pitches to pixels.
     *
     * @param width        image width in pixels
     * @param height       image height in pixels
     * @param ticksPerBeat the score's resolution
     * @param endTick      the tick at the right edge
     * @param lowestPitch  the pitch of the bottom row
     * @param highestPitch the pitch of the top row
     */
    public record Layout(int width, int height, int ticksPerBeat, long endTick, int lowestPitch, int highestPitch) {

        /** Pixel column where the given tick starts. */
        public int x(long tick) {
            return (int) Math.round((double) tick * width / endTick);
        }

        /** First pixel row of the given pitch's row. */
        public int rowTop(int pitch) {
            return (int) Math.round((double) (highestPitch - pitch) * height / rows());
        }

        /** Pixel row just below the given pitch's row. */
        public int rowBottom(int pitch) {
            return rowTop(pitch - 1);
        }

        private int rows() {
            return highestPitch - lowestPitch + 1;
        }
    }

    /** The layout {@link #image(Score)} uses for this score. */
    public Layout layout(Score score) {
        int tpb = score.ticksPerBeat();
        long end = 0;
        int lo = 60;
        int hi = 71;
        if (!score.notes().isEmpty()) {
            lo = 127;
            hi = 0;
            for (Note n : score.notes()) {
                end = Math.max(end, n.endTick());
                lo = Math.min(lo, n.pitch());
                hi = Math.max(hi, n.pitch());
            }
            lo = Math.max(0, lo - PITCH_MARGIN);
            hi = Math.min(127, hi + PITCH_MARGIN);
        } else {
            end = (long) BEATS_PER_BAR * tpb;
        }
        long beats = Math.max(1, (end + tpb - 1) / tpb);
        int rows = hi - lo + 1;
        long naturalWidth = beats > maxWidth ? maxWidth : beats * pixelsPerBeat; // no overflow for huge ticks
        int width = (int) Math.min(maxWidth, Math.max(16, naturalWidth));
        int height = (int) Math.min(maxHeight, Math.max(16, (long) rows * pixelsPerSemitone));
        return new Layout(width, height, tpb, beats * tpb, lo, hi);
    }

    /** The piano roll as an RGB image. */
    public BufferedImage image(Score score) {
        Layout l = layout(score);
        BufferedImage image = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, l.width(), l.height());
            drawGrid(g, l);
            for (Note n : score.notes()) {
                drawNote(g, l, n);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The piano roll as PNG bytes. */
    public byte[] png(Score score) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image(score), "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void drawGrid(Graphics2D g, Layout l) {
        long beats = l.endTick() / l.ticksPerBeat();
        double beatPixels = (double) l.width() / beats;
        for (long b = 1; b < beats; b++) {
            boolean bar = b % BEATS_PER_BAR == 0;
            if (beatPixels >= MIN_GRID_SPACING || bar && beatPixels * BEATS_PER_BAR >= MIN_GRID_SPACING) {
                g.setColor(bar ? BAR_LINE : BEAT_LINE);
                int x = l.x(b * l.ticksPerBeat());
                g.drawLine(x, 0, x, l.height() - 1);
            }
        }
        if ((double) l.height() / (l.highestPitch() - l.lowestPitch() + 1) * 12 >= MIN_GRID_SPACING) {
            g.setColor(C_LINE);
            for (int p = l.lowestPitch(); p <= l.highestPitch(); p++) {
                if (p % 12 == 0) {
                    int y = l.rowBottom(p) - 1;
                    g.drawLine(0, y, l.width() - 1, y);
                }
            }
        }
    }

    private static void drawNote(Graphics2D g, Layout l, Note n) {
        int x0 = l.x(n.onsetTick());
        int x1 = Math.max(x0 + 1, l.x(n.endTick()) - 1); // a 1-pixel gap separates repeated notes
        int y0 = l.rowTop(n.pitch());
        int y1 = Math.max(y0 + 1, l.rowBottom(n.pitch()));
        g.setColor(shade(n.velocity()));
        g.fillRect(x0, y0, x1 - x0, y1 - y0);
        if (x1 - x0 >= 4 && y1 - y0 >= 4) {
            g.setColor(OUTLINE);
            g.drawRect(x0, y0, x1 - x0 - 1, y1 - y0 - 1);
        }
    }

    /** Linear blend from a pale blue (velocity 1) to a deep blue (velocity 127). */
    static Color shade(int velocity) {
        double t = (velocity - 1) / 126.0;
        return new Color(
                (int) Math.round(SOFT.getRed() + t * (LOUD.getRed() - SOFT.getRed())),
                (int) Math.round(SOFT.getGreen() + t * (LOUD.getGreen() - SOFT.getGreen())),
                (int) Math.round(SOFT.getBlue() + t * (LOUD.getBlue() - SOFT.getBlue())));
    }

    @Override
    public String toString() {
        return "PianoRollRenderer[" + pixelsPerBeat + " px/beat, " + pixelsPerSemitone + " px/semitone, max "
                + maxWidth + "x" + maxHeight + "]";
    }
}
