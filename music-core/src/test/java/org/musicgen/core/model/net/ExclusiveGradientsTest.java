package org.musicgen.core.model.net;

import org.musicgen.core.model.lstm.LstmWindow;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmTrainer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two runs training at once in one process (the trainer's concurrency above 1) both train, neither fails. */
class ExclusiveGradientsTest {

    @Test
    void twoModelsTrainSideBySide() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Double>> runs = new ArrayList<>();
            for (int run = 0; run < 2; run++) {
                long seed = run;
                runs.add(pool.submit(() -> train(seed)));
            }
            for (Future<Double> run : runs) {
                double loss = run.get();
                assertTrue(Double.isFinite(loss), "loss " + loss);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A tiny LSTM, many small steps so that the two runs' steps overlap; returns the last epoch's loss. */
    private static double train(long seed) {
        LstmConfig config = LstmConfig.fromMap(Map.of("embeddingSize", "8", "hiddenSize", "16", "layers", "1",
                "batchSize", "2", "sequenceLength", "12", "seed", Long.toString(seed)), LstmConfig.defaults());
        Random random = new Random(seed);
        List<int[]> data = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            data.add(random.ints(12, 0, 6).toArray());
        }
        try (LstmModel model = LstmModel.create(config, 6, Device.cpu());
             LstmTrainer trainer = new LstmTrainer(model)) {
            double loss = Double.NaN;
            for (int epoch = 0; epoch < 3; epoch++) {
                loss = trainer.trainEpoch(LstmWindow.plain(data), new Random(seed), ProgressListener.NONE).metric("trainLoss");
            }
            return loss;
        }
    }
}
