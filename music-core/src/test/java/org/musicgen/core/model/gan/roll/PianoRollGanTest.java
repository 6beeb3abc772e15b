package org.musicgen.core.model.gan.roll;


import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.net.ExclusiveGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.metrics.RollStatistics;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Score;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

class PianoRollGanTest {
    private static final int BARS = 2;

    static RollGanConfig toyConfig() {
        return RollGanConfig.fromMap(Map.of("noiseSize", "32", "generatorHidden", "128,256", "discriminatorEmbedding",
                "32", "discriminatorHidden", "32", "discriminatorDense", "32", "batchSize", "32", "bars",
                Integer.toString(BARS), "generatorLearningRate", "2e-3", "discriminatorLearningRate", "1e-3", "controls", "true"),
                RollGanConfig.defaults());
    }

    private static List<List<RollPhrase>> syntheticPhrases() throws MidiFormatException {
        RollGrid grid = new RollGrid(4, 4, BARS);
        MidiReader reader = MidiReader.sounding();
        List<Score> pieces = new ArrayList<>();
        for (GeneratedPiece piece : new SyntheticCorpus(3).generate(40)) {
            pieces.add(reader.read(piece.midi()));
        }
        return List.of(RollPhrase.cut(grid, pieces.subList(0, 32), null, PianoRollGan.TRAINING_HOP_BARS),
                RollPhrase.cut(grid, pieces.subList(32, 40), null, BARS));
    }

    @Test
    void theGanLearnsTheCorpusStatisticsAndItsPhrasesBecomeMidi() throws MidiFormatException {
        List<List<RollPhrase>> data = syntheticPhrases();
        List<RollPhrase> train = data.get(0);
        List<RollPhrase> held = data.get(1);
        assertTrue(train.size() > 100 && held.size() > 20, train.size() + " / " + held.size());
        try (PianoRollGan gan = PianoRollGan.create(toyConfig(), Device.cpu());
             PianoRollGanTrainer trainer = new PianoRollGanTrainer(gan)) {
            Map<String, Double> untrained = trainer.heldOutMetrics(held);
            double best = Double.MAX_VALUE;
            Random shuffle = new Random(5);
            for (int epoch = 1; epoch <= 8; epoch++) {
                EpochResult r = trainer.trainEpoch(train, shuffle, ProgressListener.NONE);
                assertTrue(Double.isFinite(r.metric("discriminatorLoss")) && Double.isFinite(r.metric("generatorLoss")), r.toString());
                Map<String, Double> held1 = trainer.heldOutMetrics(held);
                best = Math.min(best, held1.get("statisticsGap"));
                System.out.printf("roll GAN epoch %d: D %.3f G %.3f D(real) %.2f D(fake) %.2f %s%n", epoch, r.metric("discriminatorLoss"),
                        r.metric("generatorLoss"), r.metric("discriminatorRealScore"), r.metric("discriminatorFakeScore"), held1);
            }
            RollStatistics statistics = new RollStatistics(gan.grid(), RollPhrase.rolls(held));
            List<PianoRoll> random = randomRolls(RollPhrase.rolls(train), gan.grid());
            double randomGap = PianoRollGanTrainer.compare(random.stream().map(statistics::of).toList(),
                    RollPhrase.rolls(held).stream().map(statistics::of).toList(), RollStatistics.diversity(random),
                    untrained.get("realDiversity"), 0).get("statisticsGap");
            System.out.printf("statistics gap: untrained %.3f, best epoch %.3f, random rolls %.3f%n",
                    untrained.get("statisticsGap"), best, randomGap);
            // adversarial training oscillates; a trainer keeps its best epoch, so the check is on that one
            assertTrue(best < 0.7 * untrained.get("statisticsGap"), "best " + best + " vs untrained " + untrained);
            assertTrue(best < randomGap, "best " + best + " vs random rolls " + randomGap);

            List<PianoRoll> samples = gan.sample(7, 16);
            assertEquals(samples, gan.sample(7, 16), "the same noise seed gives the same phrases");
            assertNotEquals(samples, gan.sample(8, 16));
            PianoRoll piece = gan.piece(7, 3);
            assertEquals(3 * gan.grid().frames(), piece.frames());
            Score score = gan.score(piece);
            assertTrue(score.notes().size() > 0, "the trained GAN writes notes");
            Score back = MidiReader.sounding().read(new MidiWriter().write(score));
            assertEquals(score.notes().size(), back.notes().size());
            assertEquals(piece, RollGrid.slice(gan.grid().roll(back), 0, piece.frames()));

            byte[] saved = gan.saveParameters();
            try (PianoRollGan copy = PianoRollGan.load(toyConfig(), Device.cpu(), saved)) {
                assertEquals(samples, copy.sample(7, 16), "save and load keep the phrases");
            }
        }
    }

    @Test
    void theServedGeneratorIsTheAverageOfItsStepsWhileTrainingGoesOnFromItsOwnWeights() throws MidiFormatException {
        // one step an epoch (a batch of phrases), so the weights after each step can be read from a plain twin run
        List<RollPhrase> batch = syntheticPhrases().get(0).subList(0, toyConfig().batchSize());
        try (PianoRollGan plain = toyGan("0", false);
             PianoRollGan averaging = toyGan("0.9", false);
             PianoRollGanTrainer plainTrainer = new PianoRollGanTrainer(plain);
             PianoRollGanTrainer averagingTrainer = new PianoRollGanTrainer(averaging)) {
            List<List<float[]>> steps = new ArrayList<>();
            for (int epoch = 1; epoch <= 3; epoch++) {
                assertEquals(1, plainTrainer.trainEpoch(batch, new Random(epoch), ProgressListener.NONE).steps());
                averagingTrainer.trainEpoch(batch, new Random(epoch), ProgressListener.NONE);
                steps.add(generatorWeights(plain));
                // step t weighs 1 - (1 + t) / (10 + t) while the average warms up: 1, then 3/4, then 9/13
                double[] weights = switch (epoch) {
                    case 1 -> new double[] {1};
                    case 2 -> new double[] {0.25, 0.75};
                    default -> new double[] {0.25 * 4 / 13, 0.75 * 4 / 13, 9.0 / 13};
                };
                // the third epoch's step must have gone on from the second's own weights, not from their average
                assertAverage(steps, weights, generatorWeights(averaging), "after epoch " + epoch);
            }
            assertFalse(Arrays.equals(plain.saveParameters(), averaging.saveParameters()), "the average is saved");
        }
    }

    @Test
    void theServedPhrasesSoundAsManyCellsAsTheCorpusWhileTrainingGoesOnFromTheBiasesAsTrained()
            throws MidiFormatException {
        List<RollPhrase> batch = syntheticPhrases().get(0).subList(0, toyConfig().batchSize());
        double corpus = PianoRoll.soundingShare(RollPhrase.rolls(batch));
        try (PianoRollGan plain = toyGan("0", false);
             PianoRollGan matched = toyGan("0", true);
             PianoRollGanTrainer plainTrainer = new PianoRollGanTrainer(plain);
             PianoRollGanTrainer matchedTrainer = new PianoRollGanTrainer(matched)) {
            for (int epoch = 1; epoch <= 3; epoch++) {
                plainTrainer.trainEpoch(batch, new Random(epoch), ProgressListener.NONE);
                matchedTrainer.trainEpoch(batch, new Random(epoch), ProgressListener.NONE);
                List<float[]> trained = generatorWeights(plain);
                List<float[]> served = generatorWeights(matched);
                int last = trained.size() - 1;
                for (int i = 0; i < last; i++) {
                    assertTrue(Arrays.equals(trained.get(i), served.get(i)), "epoch " + epoch + ": weights " + i
                            + " trained on from the biases as they were, not as moved");
                }
                float shift = served.get(last)[0] - trained.get(last)[0];
                for (int j = 0; j < served.get(last).length; j++) {
                    assertEquals(shift, served.get(last)[j] - trained.get(last)[j], 1e-5, "one shift for every cell");
                }
                double density = PianoRoll.soundingShare(matched.sample(PianoRollGanTrainer.CALIBRATION_SEED,
                        PianoRollGanTrainer.HELD_OUT_SAMPLES));
                assertEquals(corpus, density, 0.02 * corpus, "epoch " + epoch + ": the corpus's share of sounding cells");
                double before = PianoRoll.soundingShare(plain.sample(PianoRollGanTrainer.CALIBRATION_SEED,
                        PianoRollGanTrainer.HELD_OUT_SAMPLES));
                assertTrue(Math.abs(before - corpus) > 0.05 * corpus, "epoch " + epoch + ": read at 0.5 the trained "
                        + "generator sounds " + before + " of its cells, the corpus " + corpus);
            }
            Map<String, Double> measured = matchedTrainer.heldOutMetrics(batch);
            assertTrue(measured.get("matchedThreshold") > 0 && measured.get("matchedThreshold") < 1, measured.toString());
        }
    }

    @Test
    void theServedBiasesAreMatchedWhileGradientsAreOn() throws MidiFormatException {
        // the trainer service runs the LSTM and the GAN side by side: the GAN's epoch may end while gradients are on
        List<RollPhrase> batch = syntheticPhrases().get(0).subList(0, toyConfig().batchSize());
        try (PianoRollGan gan = PianoRollGan.create(toyConfig(), Device.cpu());
             PianoRollGanTrainer trainer = new PianoRollGanTrainer(gan)) {
            trainer.trainEpoch(batch, new Random(1), ProgressListener.NONE);
            try (ai.djl.training.GradientCollector ignored = ExclusiveGradients.open()) {
                trainer.matchDensity(batch);
            }
            assertTrue(PianoRoll.soundingShare(gan.sample(PianoRollGanTrainer.CALIBRATION_SEED,
                    PianoRollGanTrainer.HELD_OUT_SAMPLES)) > 0);
        }
    }

    @Test
    void theMatchedThresholdLeavesTheCorpusShareOfCellsAboveItInsideItsRange() {
        float[] cells = new float[100];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i / 100f;
        }
        assertEquals(0.90f, PianoRollGanTrainer.threshold(cells, 0.10));
        assertEquals(0.70f, PianoRollGanTrainer.threshold(cells, 0.30));
        assertEquals(0.95f, PianoRollGanTrainer.threshold(cells, 0.0), "a silent corpus: the highest threshold");
        assertEquals(0.05f, PianoRollGanTrainer.threshold(cells, 1.0), "every cell: the lowest");
    }

    /** The toy GAN with this weight averaging and density matching: twins differ in nothing else. */
    private static PianoRollGan toyGan(String generatorAverage, boolean densityMatch) {
        return PianoRollGan.create(RollGanConfig.fromMap(Map.of("generatorAverage", generatorAverage,
                "densityMatch", Boolean.toString(densityMatch)), toyConfig()), Device.cpu());
    }

    private static List<float[]> generatorWeights(PianoRollGan gan) {
        return gan.generator().getParameters().values().stream().filter(p -> p.requiresGradient())
                .map(p -> p.getArray().toFloatArray()).toList();
    }

    private static void assertAverage(List<List<float[]>> steps, double[] weights, List<float[]> actual,
                                      String when) {
        for (int i = 0; i < actual.size(); i++) {
            for (int j = 0; j < actual.get(i).length; j++) {
                double expected = 0;
                for (int t = 0; t < weights.length; t++) {
                    expected += weights[t] * steps.get(t).get(i)[j];
                }
                assertEquals(expected, actual.get(i)[j], 1e-6, when + ", parameter " + i + " value " + j);
            }
        }
    }

    @Test
    void aRareEmptyBarCostsLittleWhereRealPhrasesHaveOneNowAndThen() {
        // 100 real phrases, two with an empty bar: the 5th-95th percentile of the empty-bar rate is 0 to 0
        List<Map<String, Double>> real = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Double> phrase = new java.util.HashMap<>();
            for (String name : RollStatistics.NAMES) {
                phrase.put(name, (double) (i % 10));
            }
            phrase.put("empty_bar_rate", i < 2 ? 0.25 : 0.0);
            real.add(phrase);
        }
        List<Map<String, Double>> asReal = withEmptyBarRate(real, 0.0);
        List<Map<String, Double>> oneEmptyBar = new ArrayList<>(asReal);
        oneEmptyBar.set(50, withEmptyBarRate(List.of(asReal.get(50)), 0.25).get(0));
        List<Map<String, Double>> silentHalf = withEmptyBarRate(asReal, 0.5);
        double none = PianoRollGanTrainer.compare(asReal, real, 1, 1, 0).get("statisticsGap");
        double one = PianoRollGanTrainer.compare(oneEmptyBar, real, 1, 1, 0).get("statisticsGap");
        double half = PianoRollGanTrainer.compare(silentHalf, real, 1, 1, 0).get("statisticsGap");
        assertTrue(one - none < 0.01, "one empty bar in 400: " + none + " -> " + one);
        assertTrue(half - none > 0.3, "half the bars empty: " + none + " -> " + half);
    }

    private static List<Map<String, Double>> withEmptyBarRate(List<Map<String, Double>> phrases, double rate) {
        return phrases.stream().map(m -> {
            Map<String, Double> copy = new java.util.HashMap<>(m);
            copy.put("empty_bar_rate", rate);
            return copy;
        }).toList();
    }

    @Test
    void theRollGanRefusesEmptyData() {
        try (PianoRollGan gan = PianoRollGan.create(toyConfig(), Device.cpu());
             PianoRollGanTrainer trainer = new PianoRollGanTrainer(gan)) {
            assertThrows(IllegalArgumentException.class, () -> trainer.trainEpoch(List.of(), null, null));
            assertThrows(IllegalArgumentException.class, () -> trainer.heldOutMetrics(List.of()));
            RollPhrase wrongLength = RollPhrase.of(new PianoRoll(7, new int[] {1}), 4, null);
            assertThrows(IllegalArgumentException.class,
                    () -> trainer.trainEpoch(List.of(wrongLength), null, null));
        }
    }

    @Test
    void theDiscriminatorReadsWhereKeysStartAndStop() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            float[] cells = new float[4 * PianoRoll.KEYS];
            cells[PianoRoll.KEYS + 3] = 1;  // key 3 sounds in frames 1 and 2
            cells[2 * PianoRoll.KEYS + 3] = 1;
            cells[5] = 1;  // key 5 sounds from the first frame
            float[] read = PianoRollGan.withChanges(manager.create(cells, new Shape(1, 4, PianoRoll.KEYS)))
                    .toFloatArray();
            assertEquals(4 * 2 * PianoRoll.KEYS, read.length);
            int width = 2 * PianoRoll.KEYS;
            assertEquals(1f, read[width + 3], "the roll itself comes first");
            assertEquals(1f, read[PianoRoll.KEYS + 5], "a key sounding in the first frame starts there");
            assertEquals(-1f, read[width + PianoRoll.KEYS + 5], "and stops in the second");
            assertEquals(1f, read[width + PianoRoll.KEYS + 3]);
            assertEquals(0f, read[2 * width + PianoRoll.KEYS + 3], "a held key does not change");
            assertEquals(-1f, read[3 * width + PianoRoll.KEYS + 3]);
        }
    }

    @Test
    void eachTimeScaleAddsItsSpansMean() {
        RollGanConfig config = RollGanConfig.fromMap(Map.of("timeScales", "4,1,16"), toyConfig());
        try (PianoRollGan gan = PianoRollGan.create(config, Device.cpu())) {
            int frames = gan.grid().frames();
            int keys = PianoRoll.KEYS;
            float[] outputs = new float[2 * frames * keys];
            Random random = new Random(4);
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = random.nextInt(100);
            }
            float[] logits = gan.summedOverScales(gan.manager().create(outputs, new Shape(2, frames * keys)))
                    .toFloatArray();
            assertEquals(outputs.length, logits.length);
            for (int b = 0; b < 2; b++) {
                for (int f = 0; f < frames; f++) {
                    for (int k = 0; k < keys; k++) {
                        double expected = 0;
                        for (int scale : new int[] {4, 1, 16}) {
                            int first = f / scale * scale;
                            for (int g = first; g < first + scale; g++) {
                                expected += outputs[(b * frames + g) * keys + k] / (double) scale;
                            }
                        }
                        assertEquals(expected, logits[(b * frames + f) * keys + k], 1e-3,
                                "sample " + b + " frame " + f);
                    }
                }
            }
        }
    }

    /** Cells sounding independently at the training phrases' density. */
    private static List<PianoRoll> randomRolls(List<PianoRoll> like, RollGrid grid) {
        double density = like.stream().mapToDouble(PianoRoll::soundingCells).sum()
                / ((double) like.size() * grid.frames() * PianoRoll.KEYS);
        Random random = new Random(3);
        List<PianoRoll> out = new ArrayList<>();
        float[] cells = new float[grid.frames() * PianoRoll.KEYS];
        for (int i = 0; i < 64; i++) {
            for (int c = 0; c < cells.length; c++) {
                cells[c] = random.nextDouble() < density ? 1f : 0f;
            }
            out.add(PianoRoll.fromDense(cells, 0, grid.frames(), 0.5f));
        }
        return out;
    }
}
