package org.musicgen.trainer.training;

import org.musicgen.core.midi.Score;

/**
 * One whole piece of a corpus in its encoding: what whole-piece measures (bits per note) read, where the training
 * windows are cut from it.
 *
 * @param source its index among the corpus's accepted pieces (the windows' source index)
 * @param ids    the piece's whole id stream
 * @param notes  its number of notes, the denominator of bits per note; with drums, its notes and drum hits (each one
 *               sounding event the model writes, as the windows count them)
 * @param score  its notes, from which the piano-roll GAN cuts its phrases
 * @param label  its label in the corpus (composer or style word, from the dataset manifest); null when it has none,
 *               and for datasets written before labels existed
 */
public record EncodedPiece(int source, int[] ids, int notes, Score score, String label) {
}
