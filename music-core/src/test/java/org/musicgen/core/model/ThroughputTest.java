package org.musicgen.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prints the default LSTM's training throughput on CPU (not asserted beyond "it ran"). */
class ThroughputTest {
    @Test
    void defaultLstmTokensPerSecond() {
        LstmConfig config = LstmConfig.defaults().withEpochs(1);
        int vocab = 200;
        List<int[]> train = ToyCorpus.lagged(4 * config.batchSize(), config.sequenceLength(), vocab, 5, 0.1, 1);
        try (LstmModel model = LstmModel.create(config, vocab, Device.cpu());
                LstmTrainer trainer = new LstmTrainer(model)) {
            trainer.trainEpoch(train.subList(0, config.batchSize()), new Random(1), null); // warm-up
            EpochResult r = trainer.trainEpoch(train, new Random(2), null);
            System.out.printf("default LSTM (%d params, vocab %d, batch %d x %d) on CPU: %.0f tokens/s, "
                    + "~%.2f GFLOP/s (%.1f MFLOP/token forward)%n", model.parameterCount(), vocab,
                    config.batchSize(), config.sequenceLength() - 1, r.tokensPerSecond(), r.gflops(),
                    model.flopsPerToken() / 1e6);
            assertTrue(r.tokensPerSecond() > 0);
        }
    }
}
