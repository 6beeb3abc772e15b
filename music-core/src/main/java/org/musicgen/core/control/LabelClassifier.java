package org.musicgen.core.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.musicgen.core.midi.Score;

/**
 * Which label (a composer, a style word) an excerpt's notes sound like: its {@link StyleFeatures}, standardised on the
 * training excerpts, then multinomial logistic regression with an L2 penalty, trained by full-batch accelerated
 * gradient descent from zero weights (so the same data always gives the same classifier). It judges whether music
 * asked for a label sounds like that label, on samples and on real excerpts alike. Immutable.
 */
public final class LabelClassifier {

    /**
     * @param l2         penalty on the weights (not the biases), per training excerpt
     * @param iterations gradient steps
     */
    public record Options(double l2, int iterations) {

        public Options {
            if (!(l2 >= 0) || iterations < 1) {
                throw new IllegalArgumentException("l2 must be >= 0 and iterations >= 1, got " + l2 + ", "
                        + iterations);
            }
        }

        /** Enough steps to settle on a few thousand excerpts; a penalty that keeps 37 weights per label tame. */
        public static Options defaults() {
            return new Options(1e-3, 1500);
        }
    }

    private final List<String> labels;
    private final double[] mean;
    private final double[] scale;
    /** Per label: a weight per standardised feature, then the bias. */
    private final double[][] weights;

    private LabelClassifier(List<String> labels, double[] mean, double[] scale, double[][] weights) {
        this.labels = labels;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
    }

    public static LabelClassifier fit(List<Score> excerpts, List<String> labels) {
        return fit(excerpts, labels, Options.defaults());
    }

    public static LabelClassifier fit(List<Score> excerpts, List<String> labels, Options options) {
        return fitFeatures(excerpts.stream().map(StyleFeatures::of).toList(), labels, options);
    }

    /**
     * Trains on feature vectors already computed ({@link StyleFeatures#of}). Each label weighs the same in the loss
     * whatever its number of excerpts: otherwise the classifier learns to answer the commonest label, and a
     * measure that asks for every label equally would read that as failure of the music.
     *
     * @throws IllegalArgumentException when the sizes differ or there are fewer than two labels
     */
    public static LabelClassifier fitFeatures(List<double[]> features, List<String> labels, Options options) {
        if (features.size() != labels.size() || features.isEmpty()) {
            throw new IllegalArgumentException("need one label per excerpt and at least one excerpt: "
                    + features.size() + " excerpts, " + labels.size() + " labels");
        }
        List<String> known = List.copyOf(new TreeSet<>(labels));
        if (known.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two labels, got " + known);
        }
        int n = features.size();
        int d = features.get(0).length;
        int k = known.size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] f : features) {
            for (int j = 0; j < d; j++) {
                mean[j] += f[j] / n;
            }
        }
        for (double[] f : features) {
            for (int j = 0; j < d; j++) {
                scale[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            // a constant feature carries nothing: leave it at 0 rather than divide by 0
            scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1;
        }
        double[][] x = new double[n][d + 1];
        int[] y = new int[n];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            x[i] = standardised(features.get(i), mean, scale);
            y[i] = known.indexOf(labels.get(i));
            counts[y[i]]++;
        }
        double[] sampleWeight = new double[n];
        for (int i = 0; i < n; i++) {
            sampleWeight[i] = 1.0 / (k * counts[y[i]]);
        }
        double[][] w = descend(x, y, sampleWeight, k, options, step(x, sampleWeight, options.l2()));
        return new LabelClassifier(known, mean, scale, w);
    }

    /**
     * A step no larger than 1 / L, where L bounds the loss's curvature: the softmax loss's Hessian is at most half
     * the weighted second-moment matrix of the inputs (Böhning's bound), whose largest eigenvalue a power iteration
     * finds; the penalty adds l2.
     */
    private static double step(double[][] x, double[] sampleWeight, double l2) {
        int d = x[0].length;
        double[][] moment = new double[d][d];
        for (int i = 0; i < x.length; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    moment[a][b] += sampleWeight[i] * x[i][a] * x[i][b];
                }
            }
        }
        double[] v = new double[d];
        Arrays.fill(v, 1);
        double eigen = 0;
        for (int it = 0; it < 100; it++) {
            double[] next = new double[d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    next[a] += moment[a][b] * v[b];
                }
            }
            double norm = Math.sqrt(Arrays.stream(next).map(t -> t * t).sum());
            if (norm == 0) {
                break;
            }
            eigen = norm;
            for (int a = 0; a < d; a++) {
                v[a] = next[a] / norm;
            }
        }
        // 1.05: the power iteration approaches the eigenvalue from below
        return 1.0 / (0.5 * eigen * 1.05 + l2);
    }

    /** Nesterov's accelerated gradient descent on the weighted, penalised cross-entropy. */
    private static double[][] descend(double[][] x, int[] y, double[] sampleWeight, int k, Options options,
                                      double step) {
        int d = x[0].length;
        double[][] w = new double[k][d];
        double[][] previous = new double[k][d];
        double[][] look = new double[k][d];
        double[][] grad = new double[k][d];
        double[] p = new double[k];
        for (int it = 1; it <= options.iterations(); it++) {
            double momentum = (it - 1.0) / (it + 2.0);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    look[c][j] = w[c][j] + momentum * (w[c][j] - previous[c][j]);
                    grad[c][j] = j < d - 1 ? options.l2() * look[c][j] : 0;
                }
            }
            for (int i = 0; i < x.length; i++) {
                softmax(look, x[i], p);
                p[y[i]] -= 1;
                for (int c = 0; c < k; c++) {
                    double g = sampleWeight[i] * p[c];
                    for (int j = 0; j < d; j++) {
                        grad[c][j] += g * x[i][j];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                System.arraycopy(w[c], 0, previous[c], 0, d);
                for (int j = 0; j < d; j++) {
                    w[c][j] = look[c][j] - step * grad[c][j];
                }
            }
        }
        return w;
    }

    private static void softmax(double[][] w, double[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double z = 0;
            for (int j = 0; j < x.length; j++) {
                z += w[c][j] * x[j];
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < w.length; c++) {
            out[c] /= sum;
        }
    }

    /** The features standardised, with a trailing 1 for the bias. */
    private static double[] standardised(double[] features, double[] mean, double[] scale) {
        double[] out = new double[features.length + 1];
        for (int j = 0; j < features.length; j++) {
            out[j] = (features[j] - mean[j]) / scale[j];
        }
        out[features.length] = 1;
        return out;
    }

    /** The labels it knows, sorted. */
    public List<String> labels() {
        return labels;
    }

    /** Label to probability, in {@link #labels()} order. */
    public Map<String, Double> probabilities(Score excerpt) {
        double[] p = probabilitiesOf(StyleFeatures.of(excerpt));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            out.put(labels.get(c), p[c]);
        }
        return out;
    }

    /** The most probable label. */
    public String predict(Score excerpt) {
        return predictFeatures(StyleFeatures.of(excerpt));
    }

    /** {@link #predict} of features already computed. */
    public String predictFeatures(double[] features) {
        double[] p = probabilitiesOf(features);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return labels.get(best);
    }

    private double[] probabilitiesOf(double[] features) {
        if (features.length != mean.length) {
            throw new IllegalArgumentException("expected " + mean.length + " features, got " + features.length);
        }
        double[] p = new double[labels.size()];
        softmax(weights, standardised(features, mean, scale), p);
        return p;
    }

    /** Share of {@code excerpts} predicted as their label. */
    public double accuracy(List<Score> excerpts, List<String> truth) {
        if (excerpts.size() != truth.size() || excerpts.isEmpty()) {
            throw new IllegalArgumentException("need one label per excerpt and at least one excerpt");
        }
        int right = 0;
        for (int i = 0; i < excerpts.size(); i++) {
            if (predict(excerpts.get(i)).equals(truth.get(i))) {
                right++;
            }
        }
        return (double) right / excerpts.size();
    }

    @Override
    public String toString() {
        return "LabelClassifier" + new ArrayList<>(labels) + " over " + mean.length + " features";
    }
}
