package org.musicgen.core.model.lstm;

import org.musicgen.core.model.ToyCorpus;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.baseline.NgramModel;
import org.musicgen.core.baseline.UnigramModel;

class LstmLearningTest {
    static final int VOCAB = 30;
    static final int LEN = 60;

    static LstmConfig toyConfig(int epochs) {
        return new LstmConfig(32, 128, 1, 0.0, 0, 1e-2, 32, epochs, 1.0, "adam", "cosine", 5, 0.0, false, LEN, 7L);
    }

    @Test
    void lossFallsAndBeatsTrigramWhenLongContextMatters() {
        List<int[]> train = ToyCorpus.lagged(480, LEN, VOCAB, 5, 0.05, 1);
        List<int[]> valid = ToyCorpus.lagged(96, LEN, VOCAB, 5, 0.05, 2);
        int epochs = 16;
        List<Double> validLosses = new ArrayList<>();
        double initial;
        try (LstmModel model = LstmModel.create(toyConfig(epochs), VOCAB, Device.cpu());
                LstmTrainer trainer = new LstmTrainer(model)) {
            initial = trainer.evaluate(LstmWindow.plain(valid));
            System.out.printf("toy LSTM: %d parameters, initial validation loss %.3f%n", model.parameterCount(),
                    initial);
            Random shuffle = new Random(3);
            for (int e = 0; e < epochs; e++) {
                EpochResult r = trainer.trainEpoch(LstmWindow.plain(train), shuffle, ProgressListener.NONE);
                double v = trainer.evaluate(LstmWindow.plain(valid));
                validLosses.add(v);
                System.out.printf("epoch %d train %.3f valid %.3f (ppl %.2f) %.0f tok/s lr %.5f%n", r.epoch(),
                        r.metric("trainLoss"), v, Math.exp(v), r.throughput(), r.metric("learningRate"));
            }
        }
        NgramModel trigram = new NgramModel(VOCAB).fit(train);
        UnigramModel unigram = new UnigramModel(VOCAB).fit(train);
        double tri = trigram.crossEntropy(valid);
        double uni = unigram.crossEntropy(valid);
        double last = validLosses.get(validLosses.size() - 1);
        System.out.printf("validation perplexity: LSTM %.2f, KN trigram %.2f, unigram %.2f%n", Math.exp(last),
                Math.exp(tri), Math.exp(uni));
        assertTrue(last < tri, "LSTM loss " + last + " should beat the trigram's " + tri);
        assertTrue(last <= initial / 2, "validation loss " + last + " should be at most half of the untrained "
                + initial);
    }
}
