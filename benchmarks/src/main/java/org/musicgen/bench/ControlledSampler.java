package org.musicgen.bench;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.control.Controls;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.Score;
import org.musicgen.core.model.generate.LstmInference;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import org.musicgen.core.model.lstm.LstmModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Samples of an LSTM asked for controls, drawn as the generator service draws them (a prompt from a training window,
 * the service's temperature and nucleus), all rows of a request in one batch.
 */
final class ControlledSampler implements ControlMeasures.Generator {

    /** Events written per second asked, over the corpus's rate: room for a sample denser than the corpus's mean. */
    private static final double LENGTH_MARGIN = 2.0;

    private final LstmInference net;
    private final Encoding encoding;
    private final List<int[]> promptSource;
    private final double temperature;
    private final double topP;
    private final int prompt;
    private final double eventsPerSecond;
    private final double notesPerSecond;

    /**
     * @param eventsPerSecond the training corpus's ids per second, which sets how many to write for a length
     * @param notesPerSecond  the training corpus's notes per second, against which an asked density scales that
     */
    ControlledSampler(LstmModel model, Encoding encoding, List<int[]> promptSource, double temperature, double topP,
                      int prompt, double eventsPerSecond, double notesPerSecond) {
        this.net = LstmInference.of(model);
        this.encoding = encoding;
        this.promptSource = promptSource;
        this.temperature = temperature;
        this.topP = topP;
        this.prompt = prompt;
        this.eventsPerSecond = eventsPerSecond;
        this.notesPerSecond = notesPerSecond;
    }

    @Override
    public List<Score> generate(List<Controls> asked, double seconds, long seed) {
        long t0 = System.nanoTime();
        int rows = asked.size();
        Random random = new Random(seed);
        int[][] prompts = new int[rows][];
        SamplingParams[] params = new SamplingParams[rows];
        double densest = notesPerSecond;
        for (int r = 0; r < rows; r++) {
            int[] window = promptSource.get(random.nextInt(promptSource.size()));
            prompts[r] = Arrays.copyOf(window, Math.max(1, Math.min(prompt, window.length)));
            params[r] = new SamplingParams(temperature, 0, topP, seed * 1000 + r);
            Double density = asked.get(r).notesPerSecond();
            densest = density == null ? densest : Math.max(densest, density);
        }
        int length = (int) Math.ceil(seconds * eventsPerSecond * LENGTH_MARGIN * densest / notesPerSecond);
        float[][] controls = null;
        if (net.controlSpace().isPresent()) {
            ControlSpace space = net.controlSpace().get();
            controls = new float[rows][];
            for (int r = 0; r < rows; r++) {
                controls[r] = asked.get(r).isEmpty() ? null : space.vector(asked.get(r));
            }
        } else if (asked.stream().anyMatch(c -> !c.isEmpty())) {
            throw new IllegalStateException("controls asked of a model that reads none");
        }
        int[][] generated = TokenSampler.generate(net, prompts, length, params, encoding::grammar, controls);
        List<Score> out = new ArrayList<>(rows);
        for (int[] ids : generated) {
            out.add(encoding.decode(ids));
        }
        System.out.printf(Locale.ROOT, "controls generated %d samples of %d events in %.1f s%n", rows, length,
                (System.nanoTime() - t0) / 1e9);
        return out;
    }
}
