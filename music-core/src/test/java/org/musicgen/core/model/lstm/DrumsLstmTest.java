package org.musicgen.core.model.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.Augmentation;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import org.musicgen.core.synth.DrumGrooves;
import org.musicgen.core.synth.GeneratedPiece;

/** The LSTM on piano and drums: no transposition ever moves a drum, and a briefly trained model plays the drums. */
class DrumsLstmTest {

    private static final PerformanceEncoding ENCODING = PerformanceEncoding.withDrums();
    private static final int LENGTH = 64;

    private static List<Score> pieces(int count) throws Exception {
        List<Score> scores = new ArrayList<>();
        for (GeneratedPiece piece : new DrumGrooves(4).generate(count)) {
            scores.add(MidiReader.sounding().withDrums().read(piece.midi()));
        }
        return scores;
    }

    @Test
    void aDrumsCorpusIsNeverAugmentedAndTranspositionLeavesDrumsAlone() throws Exception {
        List<Score> scores = pieces(2);
        Augmentation asked = new Augmentation(5, 0.1);
        LstmCorpus drums = new LstmCorpus(ENCODING, scores, null, LENGTH, asked, 3);
        assertFalse(drums.augmented(), "performance-drums trains on its windows as they are");
        assertEquals(LstmWindow.ids(drums.windows()), LstmWindow.ids(drums.forEpoch(2)));
        assertTrue(new LstmCorpus(new PerformanceEncoding(), scores, null, LENGTH, asked, 3).augmented(),
                "the piano-only encoding still is");

        Score moved = Augmentation.apply(scores.get(0), 5, 1.0);
        assertEquals(scores.get(0).drums().notes(), moved.drums().notes(), "drum hits keep their pitch");
        assertEquals(scores.get(0).piano().notes().get(0).pitch() + 5, moved.piano().notes().get(0).pitch());
    }

    @Test
    void anLstmTrainedBrieflyOnPianoAndDrumsWritesDrumEvents() throws Exception {
        List<LstmWindow> train = new ArrayList<>();
        long ids = 0;
        long drumIds = 0;
        for (Score score : pieces(6)) {
            int[] encoded = ENCODING.encode(score);
            ids += encoded.length;
            for (int id : encoded) {
                drumIds += ENCODING.drumClass(id) >= 0 ? 1 : 0;
            }
            train.addAll(LstmWindow.cut(ENCODING, encoded, null, LENGTH, LENGTH / 2));
        }
        double corpusShare = (double) drumIds / ids;
        LstmConfig config = new LstmConfig(16, 64, 1, 0.0, 0, 2e-2, 16, 4, 1.0, "adam", "cosine", 1, 0.0, false,
                LENGTH, 11L);
        try (LstmModel model = LstmModel.create(config, ENCODING.size(), Device.cpu());
                LstmTrainer trainer = new LstmTrainer(model)) {
            double untrained = drumShare(model);
            Random shuffle = new Random(1);
            for (int e = 0; e < config.epochs(); e++) {
                trainer.trainEpoch(train, shuffle, ProgressListener.NONE);
            }
            double trained = drumShare(model);
            System.out.printf("DRUM events: corpus %.3f, untrained samples %.3f, trained %.3f%n", corpusShare,
                    untrained, trained);
            assertTrue(trained > 2 * untrained && trained > corpusShare / 2,
                    "the trained model plays the drums as the corpus does: " + trained + " of its events vs "
                            + corpusShare + " (untrained " + untrained + ")");
            int[] sample = TokenSampler.generate(model, new int[] {PerformanceEncoding.TIME_SHIFT}, 600,
                    SamplingParams.defaults(7), ENCODING::grammar);
            List<Note> hits = ENCODING.decode(sample).drums().notes();
            assertTrue(hits.stream().allMatch(n -> n.channel() == DrumKit.CHANNEL && DrumKit.classOf(n.pitch()) >= 0));
            assertTrue(hits.stream().anyMatch(n -> DrumKit.classOf(n.pitch()) == DrumKit.KICK), "a kick: " + hits);
        }
    }

    private static double drumShare(LstmModel model) {
        long drums = 0;
        long all = 0;
        for (int seed = 0; seed < 3; seed++) {
            int[] sample = TokenSampler.generate(model, new int[] {PerformanceEncoding.TIME_SHIFT}, 400,
                    SamplingParams.defaults(seed), ENCODING::grammar);
            for (int id : sample) {
                drums += ENCODING.drumClass(id) >= 0 ? 1 : 0;
                all++;
            }
        }
        return (double) drums / all;
    }
}
