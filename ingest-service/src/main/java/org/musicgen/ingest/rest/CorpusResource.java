package org.musicgen.ingest.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.musicgen.ingest.corpus.Corpus;
import org.musicgen.ingest.corpus.CorpusRepository;
import org.musicgen.ingest.corpus.IngestConfig;
import org.musicgen.ingest.corpus.IngestionService;
import org.musicgen.ingest.upload.UnsafeUploadException;
import org.musicgen.ingest.upload.UploadGate;
import org.musicgen.ingest.upload.UploadTooLargeException;
import org.musicgen.ingest.upload.UploadedFile;
import org.musicgen.platform.rest.ProblemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

@Path("/api/corpora")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Corpora", description = "Submit piano MIDI corpora and follow their ingestion")
public class CorpusResource {

    private static final int MAX_NAME_LENGTH = 200;
    private static final int MIN_WINDOW_NOTES = 2;
    private static final int MAX_WINDOW_NOTES = 2000;
    private static final Pattern CORPUS_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final IngestionService ingestion;
    private final CorpusRepository corpora;
    private final UploadGate gate;
    private final long maxUploadBytes;

    public CorpusResource(IngestionService ingestion, CorpusRepository corpora, UploadGate gate,
                          IngestConfig config) {
        this.ingestion = ingestion;
        this.corpora = corpora;
        this.gate = gate;
        this.maxUploadBytes = config.maxUploadSize().asLongValue();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Submit a corpus",
            description = "Multipart form: 'name' and one or more file parts (.mid, .midi, or .zip of them); "
                    + "optionally 'encoding' (performance, the default: expressive NOTE_ON/NOTE_OFF/TIME_SHIFT/"
                    + "VELOCITY events, drum hits (MIDI channel 10) left out; performance-drums: the same with nine "
                    + "DRUM events, so drum hits are kept; or seed: the reference study's note/chord tokens) and "
                    + "'windowNotes' (notes' "
                    + "worth of events per training window, " + MIN_WINDOW_NOTES + ".." + MAX_WINDOW_NOTES
                    + ", default 100). A 'metadata.csv' (a part or inside a zip; header row, a 'file' column and a "
                    + "'label', 'composer' or 'style' column) labels each piece; without one, a zip's top folders do "
                    + "(chopin/a.mid is labelled chopin). Processing is asynchronous: follow the Location. An upload identical to an "
                    + "earlier one, with the same encoding and window, answers 200 with the earlier corpus.")
    @APIResponse(responseCode = "202", description = "Stored; processing")
    @APIResponse(responseCode = "200", description = "Identical content was uploaded before; that corpus is returned")
    @APIResponse(responseCode = "400", description = "Missing part, unknown encoding, window out of range, refused "
            + "archive, or malformed metadata.csv (the problem names the line); nothing is stored")
    @APIResponse(responseCode = "413", description = "Upload, one of its files or its archives' expansion larger "
            + "than the configured limit; the problem names the file and the limit")
    @APIResponse(responseCode = "503", description = "Object store unreachable or too many uploads at once; retry "
            + "after the given delay")
    public Response submit(@RestForm("name") String name,
                           @RestForm("encoding") String encoding,
                           @RestForm("windowNotes") String windowNotes,
                           @RestForm(FileUpload.ALL) List<FileUpload> files,
                           @Context UriInfo uri) {
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest("the multipart part 'name' is missing or empty: name the corpus");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ProblemException.badRequest("the corpus name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String chosenEncoding = encoding == null || encoding.isBlank() ? null : encoding.strip();
        Integer chosenWindow = windowNotes(windowNotes);
        try {
            ingestion.options(chosenEncoding, chosenWindow);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("the multipart part 'encoding' is not usable: " + e.getMessage());
        }
        if (files == null || files.isEmpty()) {
            throw ProblemException.badRequest(
                    "no file part: attach one or more .mid, .midi or .zip files to the multipart request");
        }
        long size = files.stream().mapToLong(FileUpload::size).sum();
        if (size > maxUploadBytes) {
            throw new ProblemException(413, "Content Too Large", "the upload holds " + size
                    + " bytes, more than the limit of " + maxUploadBytes
                    + " bytes; split the corpus into smaller uploads");
        }
        IngestionService.Submission submission;
        try (UploadGate.Permit held = gate.admit(size)) {
            submission = ingestion.submit(name.strip(), read(files), chosenEncoding, chosenWindow);
        } catch (UploadTooLargeException e) {
            throw new ProblemException(413, "Content Too Large", e.getMessage());
        } catch (UnsafeUploadException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        Corpus corpus = submission.corpus();
        URI location = uri.getBaseUriBuilder().path("api/corpora").path(corpus.id()).build();
        return Response.status(submission.alreadyKnown() ? Response.Status.OK : Response.Status.ACCEPTED)
                .location(location)
                .entity(corpus)
                .build();
    }

    @GET
    @Operation(summary = "List corpora, newest first")
    public List<Corpus> list() {
        return corpora.findAll();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A corpus: status, accepted and rejected files, counts and dataset keys",
            description = "Each accepted file reports its notes, its drum hits (kept by performance-drums only) and "
                    + "'instruments': what was left out or read as piano (drum hits in an encoding without drums, "
                    + "notes of other General MIDI programs), empty when nothing; counts.drumHits totals the hits.")
    @APIResponse(responseCode = "404", description = "Unknown corpus id")
    public Corpus get(@PathParam("id") String id) {
        if (!CORPUS_ID.matcher(id).matches()) {
            throw ProblemException.notFound("no corpus with id '" + id + "' (ids are UUIDs as returned by POST)");
        }
        return corpora.find(id).orElseThrow(() -> ProblemException.notFound("no corpus with id '" + id + "'"));
    }

    /** The optional 'windowNotes' part: null when absent. */
    private static Integer windowNotes(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int notes;
        try {
            notes = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            notes = -1;
        }
        if (notes < MIN_WINDOW_NOTES || notes > MAX_WINDOW_NOTES) {
            throw ProblemException.badRequest("the multipart part 'windowNotes' must be a whole number of notes from "
                    + MIN_WINDOW_NOTES + " to " + MAX_WINDOW_NOTES + " (the default is 100), was '" + value.strip()
                    + "'");
        }
        return notes;
    }

    private static List<UploadedFile> read(List<FileUpload> files) {
        List<UploadedFile> uploads = new ArrayList<>();
        for (FileUpload file : files) {
            String fileName = file.fileName() != null && !file.fileName().isBlank() ? file.fileName() : file.name();
            try {
                uploads.add(new UploadedFile(CorpusRepository.safeName(fileName),
                        Files.readAllBytes(file.uploadedFile())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the uploaded part " + fileName, e);
            }
        }
        return uploads;
    }
}
