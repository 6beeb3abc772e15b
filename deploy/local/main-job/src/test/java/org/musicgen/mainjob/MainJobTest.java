package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job's options and what it prints, without starting anything. */
class MainJobTest {

    @Test
    void theEncodingIsPerformanceUnlessChosen() {
        assertEquals("performance", MainJob.parse(new String[0]).encoding());
        assertEquals("seed", MainJob.parse(new String[]{"--encoding", "seed"}).encoding());
        assertEquals("performance", MainJob.parse(new String[]{"--encoding", "Performance", "--pieces", "4"}).encoding());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MainJob.parse(new String[]{"--encoding", "abc"}));
        assertTrue(bad.getMessage().contains("performance, performance-drums, seed"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MainJob.parse(new String[]{"--encoding"}));
    }

    @Test
    void theCorpusLineNamesTheEncodingAndTheWindows() throws Exception {
        String corpus = "{\"encoding\":\"performance\",\"acceptedFiles\":[{},{}],\"counts\":{\"notes\":990,"
                + "\"sequences\":15,\"sequenceLength\":336,\"notesPerWindow\":100.0,\"vocabularySize\":388,"
                + "\"unknownShare\":0.0}}";
        assertEquals("2 files, 990 notes, performance encoding: 15 windows of 336 events (about 100 notes each), "
                + "vocabulary 388, 0.0 % unknown", CorpusJourney.describeCorpus(new ObjectMapper().readTree(corpus)));
        String drums = corpus.replace("\"performance\"", "\"performance-drums\"").replace("388", "397")
                .replace("\"notes\":990,", "\"notes\":990,\"drumHits\":412,");
        assertEquals("2 files, 990 notes and 412 drum hits, performance-drums encoding: 15 windows of 336 events (about "
                + "100 notes each), vocabulary 397, 0.0 % unknown",
                CorpusJourney.describeCorpus(new ObjectMapper().readTree(drums)));
    }

    @Test
    void theDemoCorpusIsInTwoKeysUnlessChosen() {
        MainJob.Options demo = MainJob.parse(new String[0]);
        assertTrue(demo.demo());
        assertEquals(List.of("c-major", "a-minor"), demo.keys());
        assertEquals(List.of("all"), MainJob.parse(new String[]{"--keys", "all"}).keys());
        assertEquals(List.of("d-minor"), MainJob.parse(new String[]{"--keys", "d-minor"}).keys());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MainJob.parse(new String[]{"--keys", "c-major,h-major"}));
        assertTrue(bad.getMessage().contains("'h-major'") && bad.getMessage().contains("a-minor"), bad.getMessage());
        // a corpus of one's own is not the demo: the services keep their defaults but for the batch sizes
        MainJob.Options own = MainJob.parse(new String[]{"--corpus", "some/dir"});
        assertTrue(!own.demo());
        assertEquals(List.of("musicgen.generator.batch-size", "musicgen.generator.corpus-excerpts"),
                MainJob.serviceProperties(own).get(LocalServices.GENERATOR).keySet().stream().sorted().toList());
        assertEquals(null, MainJob.serviceProperties(own).get(LocalServices.TRAINER));
        assertEquals("8", MainJob.serviceProperties(demo).get(LocalServices.TRAINER)
                .get("musicgen.trainer.default-lstm-hyper-parameters.batchSize"));
        assertEquals("8", MainJob.serviceProperties(demo).get(LocalServices.GENERATOR)
                .get("musicgen.generator.batch-size"), "the demo's generator settings keep the batch size");
    }

    @Test
    void theComparisonPutsEachModelsMeanAgainstTheExcerptsRange() throws Exception {
        List<JsonNode> views = new ArrayList<>();
        views.add(view("c1", "corpus", "batch", 0.95, 2.70));
        views.add(view("c1", "corpus", "batch", 1.00, 2.80));
        views.add(view("c1", "lstm", "batch", 0.96, 2.74));
        views.add(view("c1", "lstm", "batch", 1.00, 2.78));
        views.add(view("c1", "gan", "batch", 0.80, 3.30));
        views.add(view("c1", "anchor", "batch", 0.40, 3.50)); // a low anchor: unlike the corpus on purpose
        views.add(view("c1", "lstm", "request", 0.10, 9.99)); // asked for over the API: not the batch
        views.add(view("c2", "gan", "batch", 0.97, 2.75)); // another corpus
        SampleComparison comparison = SampleComparison.of(views, "c1");
        assertEquals(2, comparison.count("lstm"));
        assertEquals(1, comparison.count("gan"));
        assertEquals(2.76, comparison.mean("lstm", "pitch_class_entropy"), 1e-9);
        assertTrue(comparison.insideCorpusRange("lstm", "scale_consistency"));
        assertTrue(!comparison.insideCorpusRange("gan", "scale_consistency"));
        assertEquals(List.of("gan scale_consistency 0.800 outside the corpus excerpts' 0.950-1.000",
                "gan pitch_class_entropy 3.300 outside the corpus excerpts' 2.700-2.800"),
                comparison.outsideCorpusRange());
        // the baseline: the GAN's entropy (3.30) lies 0.55 from the excerpts' 2.75, the anchors' (3.50) 0.75
        assertEquals(List.of(), comparison.noNearerThanTheAnchors());
        views.add(view("c1", "gan", "batch", 0.00, 3.90)); // the GAN's mean now 0.40 and 3.60: as far as the anchors
        assertEquals(List.of("gan scale_consistency 0.400 no nearer the excerpts' 0.975 than the low anchors' 0.400",
                "gan pitch_class_entropy 3.600 no nearer the excerpts' 2.750 than the low anchors' 3.500"),
                SampleComparison.of(views, "c1").noNearerThanTheAnchors());
        List<String> table = comparison.table();
        assertEquals(5, table.size());
        assertTrue(table.get(1).startsWith("LSTM (batch mean), 2") && table.get(1).contains("0.980 inside")
                && table.get(1).contains("2.760 inside"), table.get(1));
        assertTrue(table.get(2).contains("0.800 OUTSIDE"), table.get(2));
        assertTrue(table.get(3).contains("0.950 - 1.000") && table.get(3).contains("2.700 - 2.800"), table.get(3));
        assertTrue(table.get(4).startsWith("low anchors (mean), 1") && table.get(4).contains("0.400")
                && !table.get(4).contains("OUTSIDE"), table.get(4));
    }

    private static JsonNode view(String corpusId, String model, String origin, double scale, double entropy)
            throws Exception {
        return new ObjectMapper().readTree(String.format(java.util.Locale.ROOT, "{\"sample\":{\"corpusId\":\"%s\","
                + "\"model\":\"%s\",\"origin\":\"%s\",\"metrics\":{\"scale_consistency\":%s,"
                + "\"pitch_class_entropy\":%s,\"repetition_rate\":0.1}}}", corpusId, model, origin, scale, entropy));
    }
}
