package org.musicgen.core.model.gan.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.metrics.DrumStatistics;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;
import org.musicgen.core.synth.GrooveCorpus;

/** The piano-roll GAN's drum track: MuseGAN's drums as one more track of the same generator and discriminator. */
class PianoRollGanDrumsTest {
    private static final int BARS = 1;
    /** Epochs of the learning test: a fixed count, so the test asks the same of a slow machine as of a fast one. */
    private static final int EPOCHS = 12;
    /** Held-out measures (which pick the epoch kept) from this epoch on: the first ones are far off anyway. */
    private static final int FIRST_MEASURED = 4;

    private static RollGanConfig drumConfig() {
        return RollGanConfig.fromMap(Map.of("noiseSize", "32", "generatorHidden", "128,256", "discriminatorEmbedding",
                "32", "discriminatorHidden", "32", "discriminatorDense", "32", "batchSize", "32", "bars",
                Integer.toString(BARS), "generatorLearningRate", "2e-3", "discriminatorLearningRate", "2e-3",
                "drums", "true"), RollGanConfig.defaults());
    }

    @Test
    void withoutDrumsTheNetworksAreThoseOfBeforeAndWithDrumsEveryFrameHasTheDrumClassesToo() {
        RollGanConfig plain = drumConfig().withDrums(false);
        try (PianoRollGan withDrums = PianoRollGan.create(drumConfig(), Device.cpu());
             PianoRollGan without = PianoRollGan.create(plain, Device.cpu());
             NDManager scope = NDManager.newBaseManager()) {
            int frames = without.grid().frames();
            assertEquals(PianoRoll.KEYS, without.frameWidth());
            assertEquals(PianoRoll.KEYS + PianoRoll.DRUMS, withDrums.frameWidth());
            // the generator's last layer has 9 more outputs a frame, the discriminator's projection 9 more inputs
            long hidden = plain.generatorHidden().get(plain.generatorHidden().size() - 1);
            // and the place in the bar, one-hot over its 16 steps, 16 more
            assertEquals((long) frames * PianoRoll.DRUMS * (hidden + 1)
                    + (PianoRoll.DRUMS + 16) * plain.discriminatorEmbedding(),
                    withDrums.parameterCount() - without.parameterCount());
            PianoRoll phrase = new PianoRoll(frames, new int[] {3 * PianoRoll.KEYS + 40},
                    new int[] {DrumKit.KICK, 3 * PianoRoll.DRUMS + DrumKit.SNARE});
            float[] dense = withDrums.realInput(scope, List.of(phrase)).toFloatArray();
            assertEquals(3, sum(dense));
            int width = withDrums.frameWidth();
            assertEquals(1f, dense[3 * width + 40]);
            assertEquals(1f, dense[PianoRoll.KEYS + DrumKit.KICK]);
            assertEquals(1f, dense[3 * width + PianoRoll.KEYS + DrumKit.SNARE]);
            assertEquals(phrase, withDrums.decode(dense, 0), "cells read back as the phrase they were");
            assertEquals(1, sum(without.realInput(scope, List.of(phrase)).toFloatArray()), "a piano GAN reads keys");
            // untrained, the drum cells start near a groove's density (about one in ten), the keys near a piano's
            float[] cells = withDrums.cellProbabilities(1, 8);
            double drums = 0;
            double keys = 0;
            for (int c = 0; c < cells.length; c++) {
                if (c % width < PianoRoll.KEYS) {
                    keys += cells[c];
                } else {
                    drums += cells[c];
                }
            }
            drums /= cells.length / width * PianoRoll.DRUMS;
            keys /= cells.length / width * PianoRoll.KEYS;
            assertTrue(drums > 0.03 && drums < 0.2 && keys < 0.1 && drums > 1.5 * keys, drums + " / " + keys);
        }
    }

    @Test
    void theGanLearnsAGrooveCloserThanRandomHitsAndWritesItOnTheDrumChannel() throws MidiFormatException {
        RollGrid grid = new RollGrid(4, 4, BARS);
        List<RollPhrase> train = RollPhrase.cut(grid, GrooveCorpus.pieces(40, 8, 11), null, 1);
        List<RollPhrase> held = RollPhrase.cut(grid, GrooveCorpus.pieces(12, 8, 12), null, BARS);
        List<PianoRoll> real = RollPhrase.rolls(held);
        DrumStatistics statistics = new DrumStatistics(grid);
        List<Map<String, Double>> realStatistics = statistics.of(real);
        List<PianoRoll> random = DrumStatistics.randomRolls(RollPhrase.rolls(train), grid.frames(), 256, 5);
        List<Map<String, Double>> randomStatistics = statistics.of(random);
        try (PianoRollGan gan = PianoRollGan.create(drumConfig(), Device.cpu());
             PianoRollGanTrainer trainer = new PianoRollGanTrainer(gan)) {
            double untrainedGap = trainer.heldOutMetrics(held).get("statisticsGap");
            double best = Double.MAX_VALUE;
            byte[] bestParameters = gan.saveParameters();
            Random shuffle = new Random(5);
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                EpochResult r = trainer.trainEpoch(train, shuffle, ProgressListener.NONE);
                if (epoch < FIRST_MEASURED) {
                    continue;
                }
                Map<String, Double> measured = trainer.heldOutMetrics(held);
                System.out.printf("drum GAN epoch %d: %d steps %.1f s D %.3f G %.3f %s%n", epoch, r.steps(),
                        r.seconds(), r.metric("discriminatorLoss"), r.metric("generatorLoss"), measured);
                // a trainer keeps its best epoch: the check is on that one
                if (measured.get("statisticsGap") < best) {
                    best = measured.get("statisticsGap");
                    bestParameters = gan.saveParameters();
                }
            }
            gan.loadParameters(bestParameters);
            List<PianoRoll> samples = gan.sample(7, 256);
            List<Map<String, Double>> generated = statistics.of(samples);
            double ganGap = PianoRollGanTrainer.gapSum(generated, realStatistics, DrumStatistics.NAMES);
            double randomGap = PianoRollGanTrainer.gapSum(randomStatistics, realStatistics, DrumStatistics.NAMES);
            int ganInside = DrumStatistics.insideCount(generated, realStatistics);
            int randomInside = DrumStatistics.insideCount(randomStatistics, realStatistics);
            System.out.printf("drum statistics: real %s%n gan %s (inside %d, gap %.3f)%n random %s (inside %d, "
                            + "gap %.3f); statistics gap untrained %.3f, best %.3f%n",
                    DrumStatistics.median(realStatistics), DrumStatistics.mean(generated), ganInside, ganGap,
                    DrumStatistics.mean(randomStatistics), randomInside, randomGap, untrainedGap, best);
            assertTrue(best < untrainedGap, "best " + best + " vs untrained " + untrainedGap);
            // the gap counts each statistic's distance from the real median in units of the real spread, at most 2
            assertTrue(ganGap < 0.75 * randomGap, "gan " + ganGap + " vs random " + randomGap);
            double ganKick = DrumStatistics.mean(generated).get("kick_on_one");
            double randomKick = DrumStatistics.mean(randomStatistics).get("kick_on_one");
            assertTrue(ganKick > 0.5 && ganKick > 2 * randomKick, "bars starting with a kick: gan " + ganKick
                    + ", random " + randomKick);
            // of the 6 statistics a one-bar phrase has (no bar repeats in it)
            assertTrue(ganInside >= 4 && ganInside > randomInside,
                    "gan inside " + ganInside + ", random " + randomInside + ": "
                            + DrumStatistics.inside(generated, realStatistics));
            double keys = samples.stream().mapToInt(PianoRoll::soundingCells).average().orElseThrow();
            assertTrue(keys < 1, "a drums-only corpus: the keys stay (almost) silent, " + keys + " cells a phrase");

            PianoRoll piece = gan.piece(7, 4);
            Score score = gan.score(piece);
            assertTrue(DrumKit.hits(score) > 0, "the trained GAN writes hits");
            for (Note n : score.drums().notes()) {
                assertEquals(DrumKit.CHANNEL, n.channel());
                assertTrue(DrumKit.classOf(n.pitch()) >= 0, "a pitch of its class: " + n.pitch());
            }
            Score back = MidiReader.sounding().withDrums().read(new MidiWriter().write(score));
            assertEquals(piece, RollGrid.slice(grid.roll(back), 0, piece.frames()), "written and read back");
            try (PianoRollGan copy = PianoRollGan.load(drumConfig(), Device.cpu(), gan.saveParameters())) {
                assertEquals(samples, copy.sample(7, 256), "save and load keep the phrases and their drums");
            }
        }
    }

    private static float sum(float[] values) {
        float s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
