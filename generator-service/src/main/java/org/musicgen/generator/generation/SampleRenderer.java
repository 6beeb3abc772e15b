package org.musicgen.generator.generation;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.metrics.SampleMetrics;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.generator.storage.SampleRepository.RenderedSample;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of any encoding to what a listener gets: MIDI, audio, a piano roll, and the sample's objective metrics. The
 * encoding decodes the ids to notes (both encodings time their scores at 120 bpm, the MIDI writer's tempo). The audio
 * is played on the piano synthesised by {@link PianoSynth}: milliseconds per sample, and the same bytes for every
 * rater on any machine. It is rendered from the MIDI file as read back, not from the score, so that it is exactly
 * what the listening form's port of the piano makes from that file in the browser (the MIDI's ticks round the
 * score's times by up to half a tick).
 */
@ApplicationScoped
public class SampleRenderer {

    /** Silence after the last note's release, so that a player does not stop on the last sound. */
    static final double TAIL_SECONDS = 1.0;

    private final CorpusData corpora;
    private final MidiWriter midiWriter = new MidiWriter();
    private final MidiReader midiReader = new MidiReader();
    private final SampleMetrics metrics = new SampleMetrics();
    private final PianoSynth audio;
    private final PianoRollRenderer pianoRoll = new PianoRollRenderer();

    public SampleRenderer(CorpusData corpora, GeneratorConfig config) {
        this.corpora = corpora;
        this.audio = new PianoSynth(config.audioSampleRate(), TAIL_SECONDS, config.maxAudioSeconds());
    }

    public Rendering render(int[] ids, Encoding encoding, String corpusId) {
        Score score = encoding.decode(ids);
        byte[] midi = midiWriter.write(score);
        byte[] wav;
        if (score.notes().isEmpty()) {
            // a model can write silence (an untrained GAN does): its sample is silent, not an error; the audio
            // comes from the score because a MIDI file without notes does not read back
            wav = audio.render(score);
        } else {
            try {
                wav = audio.render(midiReader.read(midi));
            } catch (MidiFormatException e) {
                throw new IllegalStateException("the MIDI just written does not read back: " + e.getMessage(), e);
            }
        }
        byte[] png = pianoRoll.png(score);
        // Undefined metrics (NaN, e.g. the entropy of a sample without notes) are left out: JSON has no NaN.
        Map<String, Double> values = new LinkedHashMap<>();
        metrics.of(ids, encoding, corpora.of(corpusId).ngrams()).asMap().forEach((name, value) -> {
            if (!value.isNaN()) {
                values.put(name, value);
            }
        });
        return new Rendering(new RenderedSample(midi, wav, png), values, score.notes().size(), score.lengthSeconds());
    }

    /** @param metrics by name; undefined ones are absent */
    public record Rendering(RenderedSample files, Map<String, Double> metrics, int notes, double durationSeconds) {
    }
}
