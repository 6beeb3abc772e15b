package org.musicgen.trainer;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.BucketExistsArgs;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.DatasetKeys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.UUID;

/**
 * Writes a dataset the way the ingest service does (same pipeline, same layout), from the project's
 * own synthetic pieces, so trainer tests need no ingest service.
 */
public final class TestDatasets {

    private TestDatasets() {
    }

    /**
     * Pieces all in one key (the generator cycles keys with a period of 12), so that the corpus has a
     * clear pitch-class profile for the GAN check and a vocabulary small enough to learn quickly.
     */
    public static String publishOneKeyCorpus(LocalStack stack, int pieces) throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(3);
        CorpusBuilder builder = new CorpusBuilder(new CorpusOptions(100, 50, 4, 64, 4096, 1));
        for (int i = 0; i < pieces; i++) {
            GeneratedPiece piece = corpus.piece(12 * i);
            builder.add(piece.fileName(), piece.midi());
        }
        CorpusDataset dataset = builder.build();
        String corpusId = UUID.randomUUID().toString();
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(keys.bucket()).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(keys.bucket()).build());
        }
        put(s3, keys.bucket(), keys.sequences(), SequenceCodec.encode(dataset.sequences()));
        ByteArrayOutputStream vocabulary = new ByteArrayOutputStream();
        dataset.vocabulary().writeTo(vocabulary);
        put(s3, keys.bucket(), keys.vocabulary(), vocabulary.toByteArray());
        put(s3, keys.bucket(), keys.manifest(), "{}".getBytes());
        return corpusId;
    }

    private static void put(MinioClient s3, String bucket, String key, byte[] content) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
    }
}
