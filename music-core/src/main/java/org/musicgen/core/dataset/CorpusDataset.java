package org.musicgen.core.dataset;

import java.util.List;
import org.musicgen.core.tokens.Vocabulary;

/** Result of {@link CorpusBuilder#build()}: vocabulary, training sequences and their sources. */
public record CorpusDataset(Vocabulary vocabulary, SequenceSet sequences, List<SourceFile> sources) {

    public CorpusDataset {
        sources = List.copyOf(sources);
    }
}
