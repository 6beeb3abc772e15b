package org.musicgen.testing;

import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.synth.DrumGrooves;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.DatasetKeys;

import java.util.UUID;

/**
 * Writes a dataset the way the ingest service does (same pipeline, same layout), from the project's own synthetic
 * pieces, so that downstream services' tests need no ingest service.
 */
public final class TestDatasets {

    private TestDatasets() {
    }

    /**
     * Pieces all in one key (the generator cycles keys with a period of 12), so that the corpus has a clear
     * pitch-class profile and a vocabulary small enough to learn quickly.
     */
    public static CorpusDataset oneKeyCorpus(int pieces) {
        return oneKeyCorpus(pieces, new CorpusOptions(100, 50, 4, 64, 4096, 1));
    }

    /** As {@link #oneKeyCorpus(int)}, in the given encoding with its default windows. */
    public static CorpusDataset oneKeyCorpus(int pieces, String encoding) {
        return oneKeyCorpus(pieces, CorpusOptions.of(encoding));
    }

    public static CorpusDataset oneKeyCorpus(int pieces, CorpusOptions options) {
        SyntheticCorpus corpus = new SyntheticCorpus(3);
        CorpusBuilder builder = new CorpusBuilder(options);
        for (int i = 0; i < pieces; i++) {
            GeneratedPiece piece = corpus.piece(12 * i);
            builder.add(piece.fileName(), piece.midi());
        }
        return builder.build();
    }

    /** Synthetic piano pieces with a drum groove under each ({@link DrumGrooves}), in {@code performance-drums}. */
    public static CorpusDataset grooveCorpus(int pieces) {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.of(Encodings.PERFORMANCE_DRUMS));
        for (GeneratedPiece piece : new DrumGrooves(3).generate(pieces)) {
            builder.add(piece.fileName(), piece.midi());
        }
        return builder.build();
    }

    public static String publishOneKeyCorpus(LocalStack stack, int pieces) {
        return publish(stack, oneKeyCorpus(pieces));
    }

    /** Stores the dataset under a new corpus id and returns the id. */
    public static String publish(LocalStack stack, CorpusDataset dataset) {
        String corpusId = UUID.randomUUID().toString();
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        TestObjects objects = TestObjects.of(stack);
        objects.put(keys.bucket(), keys.sequences(), SequenceCodec.encode(dataset.sequences()));
        objects.put(keys.bucket(), keys.vocabulary(), dataset.encoding().toBytes());
        objects.put(keys.bucket(), keys.notes(), NotesCodec.encode(dataset.pieces()));
        objects.put(keys.bucket(), keys.manifest(), ("{\"encoding\":\"" + dataset.encoding().name() + "\"}").getBytes());
        return corpusId;
    }
}
