package org.musicgen.generator.generation;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.clip.Clip;
import org.musicgen.core.control.Controls;
import org.musicgen.core.encoding.EncodedScore;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.metrics.SampleMetrics;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.generator.storage.SampleRepository.RenderedSample;
import org.musicgen.platform.events.ControlValues;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notes to what a listener gets: MIDI, audio, a piano roll, and the sample's objective metrics, for a whole piece or
 * for a listening clip ({@link Clip}). Every score here is timed at 120 bpm, the MIDI writer's tempo (both encodings
 * decode at it, and so does the piano-roll GAN). The audio
 * is played on the piano synthesised by {@link PianoSynth}: milliseconds per sample, and the same bytes for every
 * rater on any machine. It is rendered from the MIDI file as read back, not from the score, so that it is exactly
 * what the listening form's port of the piano makes from that file in the browser (the MIDI's ticks round the
 * score's times by up to half a tick), drum hits included (they sound on the piano synthesiser's drum kit).
 */
@ApplicationScoped
public class SampleRenderer {

    /** Silence after the last note's release, so that a player does not stop on the last sound. */
    static final double TAIL_SECONDS = 1.0;

    private final CorpusData corpora;
    private final MidiWriter midiWriter = new MidiWriter();
    /** Reads drum hits too: a sample's drums sound in its audio as they do in the browser. */
    private final MidiReader midiReader = new MidiReader().withDrums();
    private final SampleMetrics metrics = new SampleMetrics();
    private final PianoSynth audio;
    private final PianoRollRenderer pianoRoll = new PianoRollRenderer();

    public SampleRenderer(CorpusData corpora, GeneratorConfig config) {
        this.corpora = corpora;
        this.audio = new PianoSynth(config.audioSampleRate(), TAIL_SECONDS, config.maxAudioSeconds());
    }

    /** A whole piece, as it is. */
    public Rendering render(EncodedScore piece, String corpusId) {
        Score score = piece.score();
        byte[] midi = midiWriter.write(score);
        byte[] wav = score.notes().isEmpty() ? audio.render(score) : audio.render(readBack(midi));
        return rendering(score, piece.ids(), midi, wav, score.lengthSeconds(), corpusId);
    }

    /**
     * A listening clip: its MIDI ends at the clip's end, its audio lasts exactly the clip and fades its last second
     * out, and its metrics are those of the clip's notes (in the ids of the corpus's encoding), not of the music it
     * was cut from.
     */
    public Rendering render(Clip clip, Encoding encoding, String corpusId) {
        Score score = clip.score();
        byte[] midi = midiWriter.writeClip(score, clip.endTick());
        byte[] wav = audio.render(score.notes().isEmpty() ? score : readBack(midi), clip.seconds());
        return rendering(score, encoding.encode(score), midi, wav, clip.seconds(), corpusId);
    }

    private Rendering rendering(Score score, int[] ids, byte[] midi, byte[] wav, double seconds, String corpusId) {
        byte[] png = pianoRoll.png(score);
        // Undefined metrics (NaN, e.g. the entropy of a sample without notes) are left out: JSON has no NaN.
        Map<String, Double> values = new LinkedHashMap<>();
        metrics.of(score, ids, corpora.of(corpusId).ngrams()).asMap().forEach((name, value) -> {
            if (!value.isNaN()) {
                values.put(name, value);
            }
        });
        return new Rendering(new RenderedSample(midi, wav, png), values, ids.length, score.notes().size(), seconds,
                AskedControls.values(Controls.of(score)));
    }

    /**
     * The score as the MIDI file holds it. A model can write silence (an untrained GAN does): its sample is silent,
     * not an error, and its audio comes from the score because a MIDI file without notes does not read back.
     */
    private Score readBack(byte[] midi) {
        try {
            return midiReader.read(midi);
        } catch (MidiFormatException e) {
            throw new IllegalStateException("the MIDI just written does not read back: " + e.getMessage(), e);
        }
    }

    /**
     * @param metrics by name; undefined ones are absent
     * @param tokens  ids of the corpus's encoding the sample is made of
     * @param reached the controls the notes reached: their key, pitch classes and notes per second
     */
    public record Rendering(RenderedSample files, Map<String, Double> metrics, int tokens, int notes,
                            double durationSeconds, ControlValues reached) {
    }
}
