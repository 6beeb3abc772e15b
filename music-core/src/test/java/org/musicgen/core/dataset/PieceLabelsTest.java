package org.musicgen.core.dataset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PieceLabelsTest {

    private static PieceLabels csv(String text) {
        return PieceLabels.fromMetadataCsv(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> csv(text)).getMessage();
    }

    @Test
    void labelColumnWinsOverComposer() {
        PieceLabels labels = csv("file,composer,label\na.mid,Chopin,nocturne\nb.mid,Bach,fugue\n");
        assertEquals(Optional.of("nocturne"), labels.labelOf("a.mid"));
        assertEquals(Optional.of("fugue"), labels.labelOf("b.mid"));
        assertEquals(Map.of("a.mid", "nocturne", "b.mid", "fugue"), labels.asMap());
    }

    @Test
    void composerColumnOfACorpusLikeMetadata() {
        // the layout of a real piano corpus's metadata: file is not the first column
        PieceLabels labels = csv("split,composer,title,year,file,seconds\r\n"
                + "test,Albeniz,Espana Tango,1890,alb_esp2.mid,127.3\r\n"
                + "train,  Chopin ,Nocturne,1830,chpn_op9.mid,300.1\r\n");
        assertEquals(Optional.of("Albeniz"), labels.labelOf("alb_esp2.mid"));
        assertEquals(Optional.of("Chopin"), labels.labelOf("chpn_op9.mid"), "labels are trimmed");
        assertEquals(Optional.empty(), labels.labelOf("other.mid"));
    }

    @Test
    void styleColumnAndTheOtherOfTwoColumns() {
        assertEquals(Optional.of("jazz"), csv("style,file\njazz,x.mid\n").labelOf("x.mid"));
        assertEquals(Optional.of("waltz"), csv("genre,file\nwaltz,x.mid\n").labelOf("x.mid"));
        assertEquals(Optional.of("waltz"), csv(" File , Label \nx.mid,waltz\n").labelOf("x.mid"),
                "column names ignore case and blanks");
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        PieceLabels labels = csv("file,title,composer\n"
                + "\"a, first.mid\",\"Sonata, \"\"Moonlight\"\"\nop. 27\",\"Beethoven, L. v.\"\n"
                + "b.mid,plain,\"Bach\"\n");
        assertEquals(Optional.of("Beethoven, L. v."), labels.labelOf("a, first.mid"));
        assertEquals(Optional.of("Bach"), labels.labelOf("b.mid"));
    }

    @Test
    void matchesByBaseNameAndByFolderPath() {
        PieceLabels labels = csv("file,composer\nchopin/a.mid,Chopin\nliszt/a.mid,Liszt\nb.mid,Bach\n");
        assertEquals(Optional.of("Bach"), labels.labelOf("corpus.zip/bach/b.mid"), "base name");
        assertEquals(Optional.of("Chopin"), labels.labelOf("corpus.zip/chopin/a.mid"), "folders decide");
        assertEquals(Optional.of("Liszt"), labels.labelOf("liszt/a.mid"));
        assertEquals(Optional.empty(), labels.labelOf("a.mid"), "two candidates, no guess");
        assertEquals(Optional.empty(), labels.labelOf("B.mid"), "case-sensitive");
    }

    @Test
    void emptyLabelIsNoLabelAndAbsentFilesAreReported() {
        PieceLabels labels = csv("file,composer\na.mid,\nb.mid,Bach\nmissing.mid,Mozart\n");
        assertEquals(Optional.empty(), labels.labelOf("a.mid"));
        assertEquals(Map.of("b.mid", "Bach", "missing.mid", "Mozart"), labels.asMap());
        assertEquals(List.of("missing.mid"), labels.unmatched(List.of("up.zip/a.mid", "up.zip/b.mid")));
    }

    @Test
    void malformedFilesAreRefusedNamingTheLine() {
        assertTrue(refusal("").contains("no header"), refusal(""));
        assertTrue(refusal("name,composer\na.mid,Bach\n").contains("no 'file' column"));
        assertTrue(refusal("file,title,year\na.mid,x,1\n").contains("no label column"));
        String wrongCount = refusal("file,composer\na.mid,Bach\nb.mid,Bach, J. S.\n");
        assertTrue(wrongCount.contains("line 3") && wrongCount.contains("3 fields"), wrongCount);
        String tooLong = refusal("file,composer\n\na.mid," + "x".repeat(65) + "\n");
        assertTrue(tooLong.contains("line 3") && tooLong.contains("64"), tooLong);
        String pipe = refusal("file,composer\na.mid,Bach|Handel\n");
        assertTrue(pipe.contains("line 2") && pipe.contains("'|'"), pipe);
        String control = refusal("file,composer\na.mid,\"Ba\u0007ch\"\n");
        assertTrue(control.contains("line 2") && control.contains("control"), control);
        String open = refusal("file,composer\na.mid,\"Bach\n");
        assertTrue(open.contains("line 2") && open.contains("not closed"), open);
        String duplicate = refusal("file,composer\na.mid,Bach\na.mid,Bach\n");
        assertTrue(duplicate.contains("line 3") && duplicate.contains("line 2"), duplicate);
        assertEquals(64, csv("file,composer\na.mid," + "x".repeat(64) + "\n").labelOf("a.mid").orElseThrow().length());
    }

    @Test
    void topFoldersLabelTheirFiles() {
        PieceLabels labels = PieceLabels.fromTopFolders(
                List.of("chopin/a.mid", "chopin/op10/b.mid", "bach/c.mid", "root.mid"));
        assertEquals(Optional.of("chopin"), labels.labelOf("chopin/a.mid"));
        assertEquals(Optional.of("chopin"), labels.labelOf("chopin/op10/b.mid"));
        assertEquals(Optional.of("bach"), labels.labelOf("bach/c.mid"));
        assertEquals(Optional.empty(), labels.labelOf("root.mid"), "files at the root get no label");
        assertEquals(3, labels.asMap().size());
    }

    @Test
    void oneFolderIsNoLabelAndASharedWrapperIsSkipped() {
        assertTrue(PieceLabels.fromTopFolders(List.of("chopin/a.mid", "chopin/b.mid", "c.mid")).isEmpty());
        assertTrue(PieceLabels.fromTopFolders(List.of("a.mid", "b.mid")).isEmpty());
        PieceLabels wrapped = PieceLabels.fromTopFolders(List.of("corpus/chopin/a.mid", "corpus/bach/b.mid"));
        assertEquals(Optional.of("chopin"), wrapped.labelOf("corpus/chopin/a.mid"));
        assertEquals(Optional.of("bach"), wrapped.labelOf("corpus/bach/b.mid"));
        assertTrue(PieceLabels.none().isEmpty());
        assertEquals(Map.of(), PieceLabels.none().asMap());
    }

    @Test
    void unfitFolderNamesAreRefused() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> PieceLabels.fromTopFolders(List.of("a|b/x.mid", "c/y.mid"))).getMessage();
        assertTrue(message.contains("folder 'a|b'"), message);
    }
}
