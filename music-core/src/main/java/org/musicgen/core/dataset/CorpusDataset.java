package org.musicgen.core.dataset;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.Score;

/**
 * Result of {@link CorpusBuilder#build()}.
 *
 * @param encoding  the corpus's encoding (its {@link Encoding#toBytes()} is the stored vocabulary)
 * @param sequences the training windows and their source pieces
 * @param sources   what each accepted file contributed
 * @param pieces    each accepted file's notes, in source order, so that a new encoding never needs a re-upload
 */
public record CorpusDataset(Encoding encoding, SequenceSet sequences, List<SourceFile> sources, List<Score> pieces) {

    public CorpusDataset {
        sources = List.copyOf(sources);
        pieces = List.copyOf(pieces);
    }

    /** Share of all ids that are {@code <unk>}: 0 for an encoding with a fixed vocabulary. */
    public double unknownShare() {
        long all = sources.stream().mapToLong(SourceFile::tokens).sum();
        long unknown = sources.stream().mapToLong(SourceFile::unknown).sum();
        return all == 0 ? 0 : (double) unknown / all;
    }

    /** Accepted pieces per label, labels in order; pieces without a label are not counted. Empty when none. */
    public Map<String, Integer> labelCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        sources.stream().map(SourceFile::label).filter(Objects::nonNull).forEach(l -> counts.merge(l, 1, Integer::sum));
        return counts;
    }
}
