package org.musicgen.core.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.musicgen.core.midi.DrumKit;
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
 * grid of one bar over C4..B4.
 *
 * <p>A score with {@link DrumKit drum hits} gets a drum band under the piano's rows, apart from them (a grey bar
 * separates the two): one row per drum class, cymbals at the top and the kick at the bottom as a drum part is
 * written, each hit a short orange mark at its onset, darker the louder, and a label column at the left that names
 * the rows. The labels are drawn in a 3 x 5 pixel alphabet of this class's own, not a font, so no fonts are needed
 * and the image is the same on every machine. The piano's pitch rows cover its own notes only (none when the score
 * is all drums). A score without drums is drawn as before the band existed.
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
    public static final Color SEPARATOR = new Color(0x8C96A0);
    public static final Color LABEL_BACKGROUND = new Color(0xECEEF0);
    public static final Color LABEL = new Color(0x3C4650);
    public static final Color DRUM_ROW_LINE = new Color(0xE0E0E0);
    private static final Color SOFT_HIT = new Color(0xF5C8A0);
    private static final Color LOUD_HIT = new Color(0xA03C00);
    /** Height of the bar between the piano's rows and the drum band. */
    public static final int SEPARATOR_HEIGHT = 4;
    /** A drum row is at least this high, so that its label fits. */
    public static final int MIN_DRUM_ROW_HEIGHT = 7;
    /** Width of a hit's mark, whatever its duration: a hit sounds as long as its drum does. */
    public static final int HIT_WIDTH = 3;
    /** The drum classes from the band's top row down: cymbals and hi-hats, toms high to low, snare, kick. */
    public static final List<Integer> DRUM_ROWS = List.of(DrumKit.CRASH, DrumKit.RIDE, DrumKit.OPEN_HAT,
            DrumKit.CLOSED_HAT, DrumKit.HIGH_TOM, DrumKit.MID_TOM, DrumKit.LOW_TOM, DrumKit.SNARE, DrumKit.KICK);
    /** The row labels, by drum class. */
    static final List<String> DRUM_LABELS = List.of("KICK", "SNARE", "HH", "OPEN HH", "LO TOM", "MID TOM", "HI TOM",
            "CRASH", "RIDE");
    private static final int GLYPH_WIDTH = 3;
    private static final int GLYPH_HEIGHT = 5;
    /** Label column width: the longest label, a pixel between letters, two pixels either side. */
    static final int LABEL_WIDTH = 4 + 7 * (GLYPH_WIDTH + 1) - 1;

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
    public record Layout(int width, int height, int ticksPerBeat, long endTick, int lowestPitch, int highestPitch,
                         int left, int drumTop, int drumRowHeight) {

        /** The layout of a score without drums: the piano's rows fill the image. */
        public Layout(int width, int height, int ticksPerBeat, long endTick, int lowestPitch, int highestPitch) {
            this(width, height, ticksPerBeat, endTick, lowestPitch, highestPitch, 0, height, 0);
        }

        /** Whether the image has a drum band (and a label column {@code left} pixels wide). */
        public boolean hasDrums() {
            return drumRowHeight > 0;
        }

        public int imageWidth() {
            return left + width;
        }

        public int imageHeight() {
            return hasDrums() ? drumTop + DrumKit.CLASSES * drumRowHeight : height;
        }

        /** First pixel row of the drum class's row in the band. */
        public int drumRowTop(int drumClass) {
            return drumTop + DRUM_ROWS.indexOf(drumClass) * drumRowHeight;
        }

        /** Pixel column where the given tick starts. */
        public int x(long tick) {
            return left + (int) Math.round((double) tick * width / endTick);
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
        if (score.hasDrums()) {
            return drumLayout(score);
        }
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

    /**
     * A score with drums: the piano's notes in pitch rows as without drums (none when there are none), the drum band
     * under them, and a label column to the left of both; the time axis spans every note and hit.
     */
    private Layout drumLayout(Score score) {
        int tpb = score.ticksPerBeat();
        long end = 0;
        int lo = 127;
        int hi = 0;
        for (Note n : score.notes()) {
            end = Math.max(end, DrumKit.isDrum(n) ? n.onsetTick() + 1 : n.endTick());
            if (!DrumKit.isDrum(n)) {
                lo = Math.min(lo, n.pitch());
                hi = Math.max(hi, n.pitch());
            }
        }
        boolean piano = lo <= hi;
        lo = piano ? Math.max(0, lo - PITCH_MARGIN) : 0;
        hi = piano ? Math.min(127, hi + PITCH_MARGIN) : 0;
        int rowHeight = Math.max(MIN_DRUM_ROW_HEIGHT, pixelsPerSemitone);
        int room = maxHeight - (piano ? 16 + SEPARATOR_HEIGHT : 0); // the piano keeps at least 16 pixels
        if (DrumKit.CLASSES * rowHeight > room) {
            rowHeight = Math.max(1, room / DrumKit.CLASSES);
        }
        int band = DrumKit.CLASSES * rowHeight;
        int pianoHeight = piano ? (int) Math.min(maxHeight - band - SEPARATOR_HEIGHT,
                Math.max(16, (long) (hi - lo + 1) * pixelsPerSemitone)) : 0;
        long beats = Math.max(1, (end + tpb - 1) / tpb);
        int plot = maxWidth - LABEL_WIDTH;
        long naturalWidth = beats > plot ? plot : beats * pixelsPerBeat;
        int width = (int) Math.min(plot, Math.max(16, naturalWidth));
        return new Layout(width, pianoHeight, tpb, beats * tpb, lo, hi, LABEL_WIDTH,
                piano ? pianoHeight + SEPARATOR_HEIGHT : 0, rowHeight);
    }

    /** The piano roll as an RGB image. */
    public BufferedImage image(Score score) {
        Layout l = layout(score);
        if (l.hasDrums()) {
            return drumImage(score, l);
        }
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

    private static BufferedImage drumImage(Score score, Layout l) {
        BufferedImage image = new BufferedImage(l.imageWidth(), l.imageHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, l.imageWidth(), l.imageHeight());
            g.setColor(LABEL_BACKGROUND);
            g.fillRect(0, 0, l.left(), l.imageHeight());
            if (l.height() > 0) {
                g.setColor(SEPARATOR);
                g.fillRect(0, l.height(), l.imageWidth(), SEPARATOR_HEIGHT);
            }
            for (int row = 1; row < DrumKit.CLASSES && l.drumRowHeight() >= MIN_DRUM_ROW_HEIGHT; row++) {
                g.setColor(DRUM_ROW_LINE);
                int y = l.drumTop() + row * l.drumRowHeight() - 1;
                g.drawLine(l.left(), y, l.imageWidth() - 1, y);
            }
            drawGrid(g, l);
            if (l.drumRowHeight() >= MIN_DRUM_ROW_HEIGHT) {
                for (int drum = 0; drum < DrumKit.CLASSES; drum++) {
                    int y = l.drumRowTop(drum) + (l.drumRowHeight() - GLYPH_HEIGHT) / 2;
                    drawLabel(image, DRUM_LABELS.get(drum), 2, y);
                }
            }
            for (Note n : score.notes()) {
                if (!DrumKit.isDrum(n)) {
                    drawNote(g, l, n);
                } else if (DrumKit.classOf(n.pitch()) >= 0) {
                    drawHit(g, l, n);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawHit(Graphics2D g, Layout l, Note n) {
        int x0 = l.x(n.onsetTick());
        int x1 = Math.min(l.imageWidth(), x0 + HIT_WIDTH);
        int y0 = l.drumRowTop(DrumKit.classOf(n.pitch()));
        int y1 = y0 + Math.max(1, l.drumRowHeight() - (l.drumRowHeight() >= MIN_DRUM_ROW_HEIGHT ? 1 : 0));
        g.setColor(hitShade(n.velocity()));
        g.fillRect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
    }

    /** Blend from a pale orange (velocity 1) to a deep one (127): drums apart from the piano's blues. */
    static Color hitShade(int velocity) {
        return blend(SOFT_HIT, LOUD_HIT, (velocity - 1) / 126.0);
    }

    /** The letters of the labels, 3 x 5 pixels each, row by row ('#' drawn). */
    private static final Map<Character, String> GLYPHS = Map.ofEntries(
            Map.entry('A', ".#.#.#####.##.#"), Map.entry('C', ".###..#..#...##"),
            Map.entry('D', "##.#.##.##.###."), Map.entry('E', "####..##.#..###"),
            Map.entry('H', "#.##.#####.##.#"), Map.entry('I', "###.#..#..#.###"),
            Map.entry('K', "#.##.###.#.##.#"), Map.entry('L', "#..#..#..#..###"),
            Map.entry('M', "#.########.##.#"), Map.entry('N', "##.#.##.##.##.#"),
            Map.entry('O', "####.##.##.####"), Map.entry('P', "##.#.###.#..#.."),
            Map.entry('R', "##.#.###.#.##.#"), Map.entry('S', ".###...#...###."),
            Map.entry('T', "###.#..#..#..#."), Map.entry(' ', "..............."));

    private static void drawLabel(BufferedImage image, String text, int x, int y) {
        int rgb = LABEL.getRGB();
        for (int c = 0; c < text.length(); c++) {
            String glyph = GLYPHS.get(text.charAt(c));
            for (int i = 0; i < GLYPH_WIDTH * GLYPH_HEIGHT; i++) {
                int px = x + c * (GLYPH_WIDTH + 1) + i % GLYPH_WIDTH;
                int py = y + i / GLYPH_WIDTH;
                if (glyph.charAt(i) == '#' && py >= 0 && py < image.getHeight()) {
                    image.setRGB(px, py, rgb);
                }
            }
        }
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
                if (l.height() > 0) {
                    g.drawLine(x, 0, x, l.height() - 1);
                }
                if (l.hasDrums()) {
                    g.drawLine(x, l.drumTop(), x, l.imageHeight() - 1);
                }
            }
        }
        if (l.height() > 0
                && (double) l.height() / (l.highestPitch() - l.lowestPitch() + 1) * 12 >= MIN_GRID_SPACING) {
            g.setColor(C_LINE);
            for (int p = l.lowestPitch(); p <= l.highestPitch(); p++) {
                if (p % 12 == 0) {
                    int y = l.rowBottom(p) - 1;
                    g.drawLine(l.left(), y, l.imageWidth() - 1, y);
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
        return blend(SOFT, LOUD, (velocity - 1) / 126.0);
    }

    private static Color blend(Color from, Color to, double t) {
        return new Color(
                (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
                (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
                (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
    }

    @Override
    public String toString() {
        return "PianoRollRenderer[" + pixelsPerBeat + " px/beat, " + pixelsPerSemitone + " px/semitone, max "
                + maxWidth + "x" + maxHeight + "]";
    }
}
