package org.musicgen.generator.model;

import java.util.List;

/**
 * What a trained model's checkpoint says about it, for a person choosing a model: its kind, the encoding it writes,
 * and the controls it can be steered by.
 *
 * @param kind            {@code lstm}, {@code roll-gan} or {@code token-gan}
 * @param encoding        the corpus's encoding ({@code performance}, {@code seed}, ...)
 * @param vocabularySize  ids of that encoding
 * @param checkpointEpoch the epoch the checkpoint holds (the best one, for the LSTM)
 * @param controls        whether it was trained with controls (key, notes per second and, with labels, a label)
 * @param labels          the labels it knows (empty without controls or when its corpus had none)
 */
public record ModelDescription(String kind, String encoding, int vocabularySize, int checkpointEpoch,
                               boolean controls, List<String> labels) {

    public ModelDescription {
        labels = List.copyOf(labels);
    }
}
