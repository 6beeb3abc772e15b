package org.musicgen.core.model.generate;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.net.TokenEmbedding;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The forward step of a trained {@link LstmModel} in plain Java: embedding, the stacked LSTM cells, the optional
 * dense ReLU layer and the output layer, one token at a time with the states carried in a {@link State} per
 * sequence. A generation step multiplies small vectors by the weights (about 0.6 M multiply-adds for the default
 * model); through the native engine each step paid far more in call overhead than in arithmetic.
 *
 * <p>The weights are copied once from the model (a snapshot: take a new one after training on) and stored
 * transposed, so that every product is a run of {@code out[k] += w[j][k] * x[j]} over contiguous rows, which the JIT
 * vectorises without changing the order of any sum: each output element sees the same multiplications and
 * additions in the same order however the loop is compiled. The nonlinearities use {@link #exp}, written in
 * arithmetic only. Since Java 17 all float and double arithmetic is IEEE-strict, so the same weights, tokens and
 * code give the same logits to the bit on every JVM and CPU, and a row's logits never depend on the other rows
 * stepped with it ({@link #step(State[], int[])}). They match the engine's within float rounding, not to the bit.
 *
 * <p>Immutable and thread-safe; each {@link State} belongs to one thread at a time.
 */
public final class LstmInference {

    private final int vocabulary;
    private final int embeddingSize;
    /** Control values after the embedding in the first layer's input, 0 for a model that reads none. */
    private final int controlSize;
    private final ControlSpace controlSpace;
    private final int hidden;
    private final int layers;
    private final int denseSize;
    private final int contextWindow;
    /** Row {@code id} is the token's vector. */
    private final float[][] embedding;
    /** Per layer: (in + hidden) rows of 4 hidden, row {@code j} holds input {@code j}'s weight on every gate (i, f, g, o). */
    private final float[][][] gateWeights;
    /** Per layer: the input and hidden biases added together. */
    private final float[][] gateBias;
    private final float[][] denseWeights;
    private final float[] denseBias;
    private final float[][] outWeights;
    private final float[] outBias;

    private LstmInference(LstmModel model) {
        LstmConfig config = model.config();
        this.vocabulary = model.vocabularySize();
        this.embeddingSize = config.embeddingSize();
        this.controlSize = model.controlSize();
        this.controlSpace = model.controlSpace().orElse(null);
        this.hidden = config.hiddenSize();
        this.layers = config.layers();
        this.denseSize = config.denseSize();
        this.contextWindow = model.contextWindow();
        List<Block> children = model.block().getChildren().values();
        // without controls: embedding, LSTM, [dense, ReLU], output; with: embedding, LSTM, [dense], output
        int expected = controlSize > 0 ? (denseSize > 0 ? 4 : 3) : (denseSize > 0 ? 5 : 3);
        if (children.size() != expected || !(children.get(0) instanceof TokenEmbedding)
                || !(children.get(1) instanceof LSTM lstm) || !(children.get(expected - 1) instanceof Linear out)) {
            throw new IllegalStateException("unexpected LSTM model layout: " + model.block().getChildren().keys());
        }
        this.embedding = rows(values(children.get(0), "weight", vocabulary * embeddingSize), vocabulary, embeddingSize);
        this.gateWeights = new float[layers][][];
        this.gateBias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embeddingSize + controlSize : hidden;
            float[] i2h = lstmValues(lstm, l, "i2h", "WEIGHT", 4 * hidden * in);
            float[] h2h = lstmValues(lstm, l, "h2h", "WEIGHT", 4 * hidden * hidden);
            float[][] w = new float[in + hidden][];
            System.arraycopy(transposed(i2h, 4 * hidden, in), 0, w, 0, in);
            System.arraycopy(transposed(h2h, 4 * hidden, hidden), 0, w, in, hidden);
            gateWeights[l] = w;
            float[] b = lstmValues(lstm, l, "i2h", "BIAS", 4 * hidden);
            float[] hb = lstmValues(lstm, l, "h2h", "BIAS", 4 * hidden);
            for (int k = 0; k < b.length; k++) {
                b[k] += hb[k];
            }
            gateBias[l] = b;
        }
        int last = hidden;
        if (denseSize > 0) {
            Block dense = children.get(2);
            this.denseWeights = transposed(values(dense, "weight", denseSize * hidden), denseSize, hidden);
            this.denseBias = values(dense, "bias", denseSize);
            last = denseSize;
        } else {
            this.denseWeights = null;
            this.denseBias = null;
        }
        // a model with controls reads them again beside the last layer's output
        this.outWeights = transposed(values(out, "weight", vocabulary * (last + controlSize)), vocabulary,
                last + controlSize);
        this.outBias = values(out, "bias", vocabulary);
    }

    /** A snapshot of {@code model}'s current parameters. */
    public static LstmInference of(LstmModel model) {
        return new LstmInference(model);
    }

    public int vocabularySize() {
        return vocabulary;
    }

    /** Prompt tokens a sampler reads before the first draw, as the model's window: {@code sequenceLength - 1}. */
    public int contextWindow() {
        return contextWindow;
    }

    /** How the model reads controls, or empty for one that reads none. */
    public Optional<ControlSpace> controlSpace() {
        return Optional.ofNullable(controlSpace);
    }

    /** Zero states: the start of a sequence, without controls. */
    public State newState() {
        return new State();
    }

    /**
     * Zero states of a sequence written under {@code controls} (a {@link ControlSpace#vector} of this model's space),
     * held at every step; null for none.
     */
    public State newState(float[] controls) {
        State state = new State();
        if (controls != null) {
            if (controlSize == 0) {
                throw new IllegalArgumentException("this model was trained without controls");
            }
            if (controls.length != controlSize) {
                throw new IllegalArgumentException("this model reads " + controlSize + " control values, got "
                        + controls.length);
            }
            System.arraycopy(controls, 0, state.controls, 0, controlSize);
        }
        return state;
    }

    /**
     * Feeds {@code token} to the sequence of {@code state} and returns the logits of the token after it. The array
     * belongs to the state and is overwritten by its next step.
     */
    public float[] step(State state, int token) {
        return step(new State[] {state}, new int[] {token})[0];
    }

    /**
     * One step of several sequences: row {@code r} feeds {@code tokens[r]} to {@code states[r]}. Each weight row is
     * read once for all of them, which is the only thing they share: every row's logits are the bits it would get
     * stepped alone. Returns each state's logits array (see {@link #step(State, int)}).
     */
    public float[][] step(State[] states, int[] tokens) {
        int rows = states.length;
        if (tokens.length != rows) {
            throw new IllegalArgumentException(rows + " states but " + tokens.length + " tokens");
        }
        float[][] in = new float[rows][];
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            int id = tokens[r];
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("token " + id + " outside vocabulary [0, " + vocabulary + ")");
            }
            State s = states[r];
            if (s.owner != this) {
                throw new IllegalArgumentException("a state of another model snapshot");
            }
            System.arraycopy(embedding[id], 0, s.input, 0, embeddingSize);
            System.arraycopy(s.controls, 0, s.input, embeddingSize, controlSize);
        }
        for (int l = 0; l < layers; l++) {
            int inSize = l == 0 ? embeddingSize + controlSize : hidden;
            for (int r = 0; r < rows; r++) {
                State s = states[r];
                // the cell reads [x; h]: the layer's input, then its own previous hidden state
                System.arraycopy(s.hidden[l], 0, s.input, inSize, hidden);
                in[r] = s.input;
                out[r] = s.gates;
            }
            affine(gateWeights[l], gateBias[l], in, inSize + hidden, 4 * hidden, out);
            for (int r = 0; r < rows; r++) {
                cell(states[r], l);
            }
        }
        int last = hidden;
        if (denseSize > 0) {
            for (int r = 0; r < rows; r++) {
                in[r] = states[r].input;
                out[r] = states[r].dense;
            }
            affine(denseWeights, denseBias, in, hidden, denseSize, out);
            for (int r = 0; r < rows; r++) {
                float[] d = states[r].dense;
                for (int k = 0; k < denseSize; k++) {
                    d[k] = Math.max(0f, d[k]);
                }
                in[r] = d;
            }
            last = denseSize;
        }
        if (controlSize > 0) {
            for (int r = 0; r < rows; r++) {
                State s = states[r];
                System.arraycopy(in[r], 0, s.joined, 0, last);
                System.arraycopy(s.controls, 0, s.joined, last, controlSize);
                in[r] = s.joined;
            }
        }
        for (int r = 0; r < rows; r++) {
            out[r] = states[r].logits;
        }
        affine(outWeights, outBias, in, last + controlSize, vocabulary, out);
        return out;
    }

    /** The LSTM cell of layer {@code l} on the gates in {@code s.gates}; leaves the new hidden state in {@code s.input}. */
    private void cell(State s, int l) {
        float[] g = s.gates;
        float[] h = s.hidden[l];
        float[] c = s.cell[l];
        int n = hidden;
        for (int k = 0; k < n; k++) {
            double i = sigmoid(g[k]);
            double f = sigmoid(g[n + k]);
            double z = tanh(g[2 * n + k]);
            double o = sigmoid(g[3 * n + k]);
            float cn = (float) (f * c[k] + i * z);
            c[k] = cn;
            h[k] = (float) (o * tanh(cn));
        }
        System.arraycopy(h, 0, s.input, 0, n);
    }

    /**
     * {@code out[r] = bias + W x[r]} for every row, with {@code w} stored as n rows of m: row {@code j} multiplies
     * input {@code j}. The inner loop runs over contiguous outputs of two arrays indexed alike, which C2 vectorises
     * (with one flat array and a row offset it did not, 4x slower); each output's sum is formed in the same order for
     * every row and every compilation.
     */
    private static void affine(float[][] w, float[] bias, float[][] x, int n, int m, float[][] out) {
        int rows = x.length;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, 0, out[r], 0, m);
        }
        for (int j = 0; j < n; j++) {
            float[] wj = w[j];
            for (int r = 0; r < rows; r++) {
                float xj = x[r][j];
                if (xj == 0f) {
                    continue; // zero states at a start and ReLU zeros: nothing to add
                }
                float[] o = out[r];
                for (int k = 0; k < m; k++) {
                    o[k] += wj[k] * xj;
                }
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + exp(-x));
    }

    private static double tanh(double x) {
        // tanh x = 1 - 2 / (e^2x + 1): one exp, exact enough for float results
        return 1 - 2 / (exp(2 * x) + 1);
    }

    /**
     * e^x to about 1e-9 relative error, from arithmetic only ({@link Math#exp} may differ in the last bit between
     * JVMs): x = k ln 2 + r with |r| <= ln2 / 2, a degree-8 polynomial for e^r, and an exact scaling by 2^k.
     */
    static double exp(double x) {
        if (x > 700) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < -700) {
            return 0;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double k = Math.rint(x * 1.4426950408889634);
        double r = x - k * 0.6931471805599453;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320))))))));
        // 2^k from its bits (|k| <= 1010 here, a normal double): exact, and cheaper than Math.scalb
        return p * Double.longBitsToDouble((long) ((int) k + 1023) << 52);
    }

    private static float[] values(Block block, String name, int size) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return checkedSize(p.getValue(), size);
            }
        }
        throw new IllegalStateException("no parameter '" + name + "' in " + block);
    }

    /** DJL names LSTM parameters {@code <direction>_<layer>_<i2h|h2h>_<WEIGHT|BIAS>}. */
    private static float[] lstmValues(LSTM lstm, int layer, String kind, String type, int size) {
        for (Pair<String, Parameter> p : lstm.getDirectParameters()) {
            String[] parts = p.getKey().split("_");
            if (parts.length == 4 && parts[0].equals("l") && parts[1].equals(Integer.toString(layer))
                    && parts[2].equals(kind) && parts[3].equals(type)) {
                return checkedSize(p.getValue(), size);
            }
        }
        throw new IllegalStateException("no LSTM parameter l_" + layer + "_" + kind + "_" + type);
    }

    private static float[] checkedSize(Parameter parameter, int size) {
        float[] v = parameter.getArray().toFloatArray();
        if (v.length != size) {
            throw new IllegalStateException("parameter " + parameter.getName() + " holds " + v.length
                    + " values, expected " + size);
        }
        return v;
    }

    /** A (rows, cols) row-major matrix as cols rows of rows. */
    private static float[][] transposed(float[] a, int rows, int cols) {
        float[][] t = new float[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** A (rows, cols) row-major matrix as rows of cols. */
    private static float[][] rows(float[] a, int rows, int cols) {
        float[][] t = new float[rows][];
        for (int i = 0; i < rows; i++) {
            t[i] = Arrays.copyOfRange(a, i * cols, (i + 1) * cols);
        }
        return t;
    }

    /** One sequence's hidden and cell states with its working arrays. Not thread-safe. */
    public final class State {
        private final LstmInference owner = LstmInference.this;
        private final float[][] hidden = new float[layers][LstmInference.this.hidden];
        private final float[][] cell = new float[layers][LstmInference.this.hidden];
        private final float[] input = new float[Math.max(embeddingSize + controlSize, LstmInference.this.hidden)
                + LstmInference.this.hidden];
        private final float[] controls = new float[controlSize];
        private final float[] joined = new float[controlSize == 0 ? 0
                : Math.max(denseSize, LstmInference.this.hidden) + controlSize];
        private final float[] gates = new float[4 * LstmInference.this.hidden];
        private final float[] dense = new float[denseSize];
        private final float[] logits = new float[vocabulary];

        private State() {
        }

        /** Back to zero states: a new sequence starts here. */
        public void reset() {
            for (int l = 0; l < layers; l++) {
                Arrays.fill(hidden[l], 0f);
                Arrays.fill(cell[l], 0f);
            }
        }
    }
}
