package org.musicgen.core.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.musicgen.core.encoding.EventGrammar;

/**
 * Generation from one {@link LstmModel} for many callers at once: every sequence asked for takes a row of one
 * {@link LstmStepper} batch of fixed width, and all rows advance together, one event per step, carrying their
 * states. A sequence joins as soon as a row is free, even while others are half-way (its row's states are reset),
 * and leaves when it has its length; so concurrent requests and the samples of one request share each step of the
 * network instead of queueing for the model.
 *
 * <p>Every row reads its prompt one token per step from zero states, and the batch always has the same width, so
 * the network does the same operations on the same shapes whatever the other rows hold or when they came: a
 * sequence depends only on its prompt, length, sampling parameters and seed (checked in the tests). The first
 * event is drawn after the prompt's last {@link LstmModel#contextWindow()} tokens, as in {@link Sampler}, and the
 * encoding's grammar reads the whole prompt.
 *
 * <p>One worker thread owns the stepper; {@link #close} lets the sequences already asked for finish, then frees
 * the stepper. Close it before the model.
 */
public final class LstmBatcher implements AutoCloseable {

    private final LstmModel model;
    private final int width;
    private final Thread worker;
    private final ArrayDeque<Row> waiting = new ArrayDeque<>();
    private boolean closing;
    private long steps;

    public LstmBatcher(LstmModel model, int width, String name) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1, got " + width);
        }
        this.model = model;
        this.width = width;
        this.worker = new Thread(this::work, "lstm-batcher-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Rows that advance together. */
    public int width() {
        return width;
    }

    /** Steps of the network run so far (each advances every busy row by one token). */
    public synchronized long steps() {
        return steps;
    }

    /**
     * Continues {@code prompt} by {@code length} events drawn with {@code params} and what {@code grammar}'s
     * grammar allows; completes with the new events only.
     */
    public CompletableFuture<int[]> submit(int[] prompt, int length, SamplingParams params,
                                           Supplier<EventGrammar> grammar) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        if (params == null || grammar == null) {
            throw new IllegalArgumentException("params and grammar are required");
        }
        for (int id : prompt) {
            if (id < 0 || id >= model.vocabularySize()) {
                throw new IllegalArgumentException("prompt token " + id + " outside vocabulary [0, "
                        + model.vocabularySize() + ")");
            }
        }
        EventGrammar rules = grammar.get();
        for (int id : prompt) {
            rules.accept(id);
        }
        int window = model.contextWindow();
        Row row = new Row(Arrays.copyOfRange(prompt, Math.max(0, prompt.length - window), prompt.length), length,
                params, rules);
        if (length == 0) {
            row.result.complete(new int[0]);
            return row.result;
        }
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the batcher is closed");
            }
            waiting.add(row);
            notifyAll();
        }
        return row.result;
    }

    /** {@link #submit} and wait; a failure of the network surfaces as the exception it threw. */
    public int[] generate(int[] prompt, int length, SamplingParams params, Supplier<EventGrammar> grammar) {
        try {
            return submit(prompt, length, params, grammar).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void work() {
        Row[] rows = new Row[width];
        int busy = 0;
        LstmStepper stepper = null;
        try {
            int[] input = new int[width];
            while (true) {
                synchronized (this) {
                    while (busy == 0 && waiting.isEmpty() && !closing) {
                        wait();
                    }
                    if (busy == 0 && waiting.isEmpty()) {
                        return; // closing, and nothing left to do
                    }
                    if (stepper == null) {
                        stepper = model.stepper(width);
                        stepper.begin();
                    }
                    for (int r = 0; r < width && !waiting.isEmpty(); r++) {
                        if (rows[r] == null) {
                            rows[r] = waiting.poll();
                            stepper.reset(r);
                            busy++;
                        }
                    }
                    steps++;
                }
                for (int r = 0; r < width; r++) {
                    Row row = rows[r];
                    // a free row reads any valid id; nobody reads its logits, and it is reset before reuse
                    input[r] = row == null ? 0 : row.next();
                }
                float[][] logits;
                try {
                    logits = stepper.step(input);
                } catch (RuntimeException e) {
                    for (int r = 0; r < width; r++) {
                        if (rows[r] != null) {
                            rows[r].result.completeExceptionally(e);
                            rows[r] = null;
                        }
                    }
                    busy = 0;
                    stepper.close();
                    stepper = null;
                    continue;
                }
                for (int r = 0; r < width; r++) {
                    Row row = rows[r];
                    if (row != null && row.read(logits[r])) {
                        rows[r] = null;
                        busy--;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            CancellationException stopped = new CancellationException("the batcher stopped");
            for (Row row : rows) {
                if (row != null) {
                    row.result.completeExceptionally(stopped);
                }
            }
            synchronized (this) {
                closing = true;
                waiting.forEach(row -> row.result.completeExceptionally(stopped));
                waiting.clear();
            }
            if (stepper != null) {
                stepper.close();
            }
        }
    }

    /** Lets every sequence asked for finish, then frees the stepper. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /** One sequence in a row of the batch: its prompt still to read, then its draws. */
    private static final class Row {
        final int[] prompt;
        final int[] out;
        final SamplingParams params;
        final EventGrammar grammar;
        final Random random;
        final CompletableFuture<int[]> result = new CompletableFuture<>();
        int fed;
        int drawn;

        Row(int[] prompt, int length, SamplingParams params, EventGrammar grammar) {
            this.prompt = prompt;
            this.out = new int[length];
            this.params = params;
            this.grammar = grammar;
            this.random = new Random(params.seed());
        }

        /** The token this row reads at the next step: its prompt, then what it drew last. */
        int next() {
            return fed < prompt.length ? prompt[fed++] : out[drawn - 1];
        }

        /** Reads the logits after the last step; true once the row has all its events. */
        boolean read(float[] logits) {
            if (fed < prompt.length) {
                return false; // still reading the prompt
            }
            grammar.shape(logits);
            int id = Sampler.sample(logits, params, random, i -> !grammar.allows(i));
            grammar.accept(id);
            out[drawn++] = id;
            if (drawn == out.length) {
                result.complete(out);
                return true;
            }
            return false;
        }
    }
}
