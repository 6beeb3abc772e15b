package org.musicgen.evaluation.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.evaluation.rest.RaterSessions;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A rater's visit in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * src/test/browser/install-chromium.sh): consent, blind trials answered with the keyboard after playing the audio (by
 * ear: no piano roll on the page and none fetched before the answer, the notes revealed after it), a Turing trial, a
 * catch item that looks like any single trial and is stored as one, a duplicate refused, then the counts on the
 * results page, whose training chart updates live. Saves target/screenshots/listening-form.png,
 * listening-notes.png, listening-turing.png, listening-turing-phone.png, listening-form-phone.png and results.png;
 * and a sample with drums played on the page's piano with its drum kit, its roll with the drum rows beside it
 * (listening-drums.png).
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ListeningFormBrowserTest {

    static final Path CHROMIUM = Paths.get(System.getProperty("musicgen.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("musicgen.chromedriver", "/usr/bin/chromedriver"));
    private static final Pattern SAMPLE_IN_PAGE = Pattern.compile("data-sample=\"([0-9a-f-]{36})\"");
    private static final Pattern MODEL_WORD = Pattern.compile("\\b(lstm|gan|corpus|anchor|catch)\\b",
            Pattern.CASE_INSENSITIVE);

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private Path profile;
    /** The samples whose piano roll the page showed after "See the notes" so far. */
    private final Set<String> revealed = new HashSet<>();

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install them with: bash evaluation-service/src/test/browser/install-chromium.sh "
                    + "(as root; .ci/run does this before the build).");
        }
        profile = Files.createTempDirectory("eval-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1100,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRaterListensAnswersWithTheKeyboardAndSeesTheCountsOnTheResultsPage() throws Exception {
        for (String model : List.of("lstm", "gan", "corpus")) {
            TestSamples.publish(stack, store, json, model, Map.of("pitchEntropy", model.length() * 0.7));
        }
        // a real excerpt with its low anchor: the series gets a catch trial (one in the test profile)
        String reference = TestSamples.publish(stack, store, json, "corpus", Map.of());
        TestSamples.publishAnchor(stack, store, json, reference);
        int ratingsBefore = given().when().get("/api/results").then().statusCode(200).extract().path("ratings");

        driver.get(url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        assertEquals("Listening test · musicgen", driver.getTitle());
        assertTrue((Boolean) js("return Array.from(document.querySelectorAll('script[src],link[href],img[src]'))"
                + ".every(e => new URL(e.src || e.href).origin === location.origin)"), "everything is served locally");
        assertFalse(MODEL_WORD.matcher(driver.getPageSource()).find(), "the form names no model");
        assertTrue(driver.findElement(By.id("consent")).getText().contains("say which one a person wrote"),
                "the consent text tells of the Turing question");
        assertTrue(driver.findElement(By.id("consent")).getText().contains("About 6 short trials"),
                "the count the series will show: 4 trials and a catch trial's 2 items");

        // consent with the keyboard: tick the box with Space, start with Enter
        driver.findElement(By.id("consent-box")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("start")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trial")));

        int total = Integer.parseInt(driver.findElement(By.id("trial-total")).getText());
        assertEquals(6, total, "the test profile's series: 4 trials and the 2 items of a catch trial");
        List<String> rated = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int trial = 1; trial <= total; trial++) {
            wait.until(ExpectedConditions.textToBe(By.id("trial-number"), Integer.toString(trial)));
            String source = driver.getPageSource();
            assertFalse(MODEL_WORD.matcher(source).find(), "trial " + trial + " does not reveal the model");
            boolean two = driver.findElement(By.id("pair-question")).isDisplayed();
            boolean turing = two && driver.findElement(By.id("pair-legend")).getText()
                    .equals("Which one was written by a person?");
            String kind = turing ? "turing" : two ? "pair" : "single";
            kinds.add(kind);
            assertEquals(turing, driver.findElement(By.id("confidence-question")).isDisplayed());
            List<WebElement> audios = driver.findElements(By.cssSelector("#pieces audio"));
            assertEquals(two ? 2 : 1, audios.size());
            assertNoPianoRoll("trial " + trial + " before listening");

            // play with a click and check the audio really plays, to the end (the 1 s tone)
            driver.findElements(By.cssSelector("#pieces button.play")).get(0).click();
            awaitPlaying(wait, 0);
            assertTrue((Boolean) js("return document.querySelector('#pieces audio').src.startsWith('blob:')"),
                    "the piece plays the sample's MIDI on the bundled piano, not the stored WAV");
            wait.until(d -> d.findElements(By.cssSelector("#pieces .piece.was-heard")).size() == 1);
            if (two) {
                // piece B from the keyboard
                new Actions(driver).sendKeys("b").perform();
                awaitPlaying(wait, 1);
                wait.until(d -> d.findElements(By.cssSelector("#pieces .piece.was-heard")).size() == 2);
            }

            if (turing) {
                new Actions(driver).sendKeys("1").perform();
                new Actions(driver).sendKeys("f").perform();
                assertTrue(driver.findElement(By.cssSelector("input[name=preferred][value=A]")).isSelected());
                assertTrue(driver.findElement(By.cssSelector("input[name=confidence][value='2']")).isSelected());
                screenshot("listening-turing.png");
                // the phone-sized layout of a two-piece trial has no sideways scrolling
                Dimension wide = driver.manage().window().getSize();
                driver.manage().window().setSize(new Dimension(375, 812));
                assertFitsTheScreen("a Turing trial");
                screenshot("listening-turing-phone.png");
                driver.manage().window().setSize(wide);
            } else if (two) {
                new Actions(driver).sendKeys("2").perform();
                assertTrue(driver.findElement(By.cssSelector("input[name=preferred][value=B]")).isSelected());
            } else {
                new Actions(driver).sendKeys("4").perform();
                new Actions(driver).sendKeys("2").perform();
                new Actions(driver).sendKeys("5").perform();
                assertTrue(driver.findElement(By.cssSelector("input[name=pleasing][value='4']")).isSelected());
                assertTrue(driver.findElement(By.cssSelector("input[name=humanlike][value='2']")).isSelected());
                assertTrue(driver.findElement(By.cssSelector("input[name=interesting][value='5']")).isSelected());
            }
            if (trial == 1) {
                screenshot("listening-form.png");
            }
            assertNoPianoRoll("trial " + trial + " while answering");
            rated.add(kind + ":" + sampleIds(source));
            new Actions(driver).sendKeys(Keys.ENTER).perform();

            // answered: saved, and only now the notes may be seen
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("answered")));
            assertEquals(trial, Integer.parseInt(driver.findElement(By.id("trial-progress"))
                    .getAttribute("value")));
            assertNoPianoRoll("trial " + trial + " after the answer, before asking for the notes");
            new Actions(driver).sendKeys("n").perform();
            int pieces = two ? 2 : 1;
            wait.until(d -> (Boolean) js("var imgs = document.querySelectorAll('#pieces img.roll');"
                    + "return imgs.length === arguments[0] && Array.from(imgs).every(i => i.complete"
                    + " && i.naturalWidth > 0);", pieces));
            // the rolls of this trial's pieces are fetched now (one heard before may come from the page's cache)
            List<String> here = driver.findElements(By.cssSelector("#pieces audio")).stream()
                    .map(audio -> audio.getAttribute("data-sample")).toList();
            revealed.addAll(here);
            assertEquals(revealed, pianoRollRequests(), "the revealed rolls and no others");
            if (turing) {
                screenshot("listening-notes.png");
            }
            new Actions(driver).sendKeys(Keys.ENTER).perform();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
        assertTrue(driver.findElement(By.id("done-text")).getText().contains("You answered 6 of 6"));
        assertEquals(1, kinds.stream().filter("turing"::equals).count(), kinds.toString());
        assertEquals(1, kinds.stream().filter("pair"::equals).count(), kinds.toString());
        assertEquals(4, kinds.stream().filter("single"::equals).count(), "2 singles and 2 catch items look alike");

        // what was stored: a Turing answer with its confidence, and the two catch items as catch items
        String rater = RaterSessions.raterId(driver.manage().getCookieNamed(RaterSessions.COOKIE).getValue());
        List<String> keys = store.list(Buckets.RATINGS, StateLayout.raterPrefix(rater));
        assertEquals(6, keys.size(), keys.toString());
        List<String> catchKeys = keys.stream().filter(k -> k.contains("/catch-")).toList();
        assertEquals(2, catchKeys.size(), keys.toString());
        Set<String> catchModels = new HashSet<>();
        for (String key : catchKeys) {
            JsonNode stored = json.readTree(store.get(Buckets.RATINGS, key).orElseThrow());
            assertTrue(stored.get("catchTrial").asBoolean(), key);
            catchModels.add(stored.get("model").asText());
        }
        assertEquals(Set.of("corpus", "anchor"), catchModels, "the hidden reference and its low anchor");
        JsonNode turingAnswer = json.readTree(store.get(Buckets.RATINGS, keys.stream()
                .filter(k -> k.contains("/turing-")).findFirst().orElseThrow()).orElseThrow());
        assertEquals("turing", turingAnswer.get("trialType").asText());
        assertEquals(2, turingAnswer.get("confidence").asInt());
        assertEquals(turingAnswer.get("sampleId").asText(), turingAnswer.get("preferred").asText(), "piece A");

        // the same rater sends an ordinary single trial again, from the page: refused
        Set<String> catchSamples = new HashSet<>();
        catchKeys.forEach(k -> catchSamples.add(k.substring(k.indexOf("/catch-") + 7, k.length() - 5)));
        String single = rated.stream().filter(r -> r.startsWith("single:"))
                .map(r -> r.substring("single:".length()).split(",")[0])
                .filter(id -> !catchSamples.contains(id)).findFirst().orElseThrow();
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('/api/ratings', {method: 'POST', credentials: 'same-origin', headers: {"
                        + "'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector("
                        + "'meta[name=\"csrf-token\"]').content}, body: JSON.stringify({sampleId: arguments[0],"
                        + "scores: {pleasing: 1, humanlike: 1, interesting: 1}})})"
                        + ".then(r => r.json().then(b => done(r.status + ' ' + b.detail)), e => done('error ' + e));",
                single);
        assertTrue(String.valueOf(status).startsWith("409 You already rated this piece"), String.valueOf(status));

        // the phone-sized layout has no sideways scrolling
        driver.manage().window().setSize(new Dimension(375, 812));
        driver.get(url("/"));
        assertFitsTheScreen("the form");
        screenshot("listening-form-phone.png");
        driver.get(url("/results"));
        assertFitsTheScreen("the results page (wide tables scroll inside their box)");

        // the results page shows the new ratings
        driver.manage().window().setSize(new Dimension(1100, 1000));
        driver.get(url("/results"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".forest svg")));
        assertEquals(Integer.toString(ratingsBefore + 6),
                driver.findElement(By.id("total-ratings")).getText());

        // a training run reports epochs: its chart appears on the open page without a reload (SSE)
        String run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now();
        double[][] losses = {{4.2, 4.4}, {3.1, 3.5}, {2.6, 3.1}, {2.3, 2.9}, {2.1, 2.8}};
        for (int epoch = 1; epoch <= losses.length; epoch++) {
            TrainingProgress progress = new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE,
                    t0.plusSeconds(epoch), run, "corpus-1", "lstm", "RUNNING", epoch, 8, null, null,
                    losses[epoch - 1][0], losses[epoch - 1][1], Math.exp(losses[epoch - 1][1]), null, null,
                    15000.0, 30.0, null);
            stack.topics().send(Topics.TRAINING_PROGRESS, run, json.writeValueAsString(progress));
        }
        wait.until(d -> d.findElements(By.cssSelector("figure[data-run='" + run + "'] path.series")).size() == 2
                && d.findElement(By.cssSelector("figure[data-run='" + run + "'] figcaption")).getText()
                .contains("epoch 5/8"));
        screenshot("results.png");
    }

    /**
     * A sample whose MIDI has drum hits (channel 10) is played in the browser as the listening form plays every
     * sample: its MIDI fetched by the link the service gives, read by the bundled piano.js and rendered on its piano
     * and drum kit, the clip's length. The WAV the page plays is the generator's (the Java synthesiser's) to the byte,
     * and the drums are in it: half a second of drums alone before the piano enters is loud, and the piano-only
     * render of the same MIDI is silent there. Its piano roll (the one the form reveals after an answer) has the drum
     * band. The roll can only be fetched by a rater who has answered a trial with the sample, and which samples a
     * series draws is the scheduler's choice, so the page shows the stored roll here beside the player.
     */
    @Test
    void aSampleWithDrumsIsPlayedWithItsDrumsAndItsRollShowsTheDrumRows() throws Exception {
        double clip = TestSamples.CLIP_SECONDS;
        List<Note> notes = new ArrayList<>();
        int[] beat = {DrumKit.KICK, DrumKit.CLOSED_HAT, DrumKit.SNARE, DrumKit.CLOSED_HAT};
        for (int i = 0; i < 8; i++) { // eighth notes at 120 bpm: 0.125 s apart, over the whole clip
            notes.add(drum(beat[i % 4], 100, i * 120L));
        }
        notes.add(drum(DrumKit.CRASH, 110, 0));
        for (int pitch : new int[] {60, 64, 67}) {
            notes.add(new Note(pitch, 80, 0, 480, 480, 0.5, 0.5)); // the piano enters at 0.5 s
        }
        Score score = new Score(480, notes);
        String id = TestSamples.publishScore(stack, store, json, "lstm", score, clip);

        driver.get(url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(d -> (Boolean) js("return !!window.MusicgenPiano"));
        @SuppressWarnings("unchecked")
        Map<String, Object> played = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "var id = arguments[0], clip = arguments[1];"
                        + "function get(url, as) { return fetch(url, {credentials: 'same-origin'}).then(function (r) {"
                        + "  if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); } return r[as](); }); }"
                        + "get('/api/samples/' + id, 'json').then(function (sample) {"
                        + "  return Promise.all([get('/audio/piano-22050.json', 'json'), get(sample.midi, 'arrayBuffer')]);"
                        + "}).then(function (got) {"
                        + "  var notes = MusicgenPiano.parseMidi(got[1]);"
                        + "  var wav = new MusicgenPiano.Synth(got[0]).wav(notes, clip);"
                        + "  var audio = document.createElement('audio');"
                        + "  audio.id = 'drum-sample'; audio.controls = true;"
                        + "  audio.src = URL.createObjectURL(new Blob([wav], {type: 'audio/wav'}));"
                        + "  document.querySelector('main, body').prepend(audio);"
                        + "  var bytes = ''; for (var i = 0; i < wav.length; i++) { bytes += String.fromCharCode(wav[i]); }"
                        + "  return audio.play().then(function () {"
                        + "    done({drums: notes.filter(function (n) { return n.channel === MusicgenPiano.DRUM_CHANNEL; })"
                        + "      .length, notes: notes.length, wav: btoa(bytes)});"
                        + "  });"
                        + "}).catch(function (e) { done({error: String(e)}); });",
                id, clip);
        assertFalse(played.containsKey("error"), String.valueOf(played.get("error")));
        byte[] midi = given().when().get("/api/samples/" + id + "/midi").then().statusCode(200).extract()
                .asByteArray();
        Score read = TestSamples.readWithDrums(midi);
        assertEquals(9L, ((Number) played.get("drums")).longValue(), "the page read every drum hit");
        assertEquals((long) read.notes().size(), ((Number) played.get("notes")).longValue());
        byte[] wav = Base64.getDecoder().decode((String) played.get("wav"));
        PianoSynth synth = new PianoSynth(22_050, 1.0, 120);
        assertArrayEquals(synth.render(read, clip), wav, "the page plays the Java synthesiser's bytes, drums and all");
        byte[] stored = given().when().get("/api/samples/" + id + "/audio").then().statusCode(200).extract()
                .asByteArray();
        assertArrayEquals(stored, wav, "and so the stored WAV");
        double drumsAlone = rms(wav, 0.0, 0.45);
        assertTrue(drumsAlone > 1000, "the drums sound before the piano enters: RMS " + drumsAlone);
        assertEquals(0, rms(synth.render(read.piano(), clip), 0.0, 0.45), "the piano alone is silent there");
        wait.until(d -> (Boolean) js("var a = document.getElementById('drum-sample');"
                + "return a.currentTime > 0 && Math.abs(a.duration - arguments[0]) < 0.01;", clip));

        // the roll the form reveals after an answer, beside the player
        byte[] png = store.get(Buckets.SAMPLES, SampleKeys.forSample(id).pianoRoll())
                .orElseThrow();
        js("var img = document.createElement('img'); img.className = 'roll'; img.id = 'drum-roll';"
                + "img.alt = 'Piano roll with drum rows'; img.src = 'data:image/png;base64,' + arguments[0];"
                + "document.getElementById('drum-sample').after(img);", Base64.getEncoder().encodeToString(png));
        wait.until(d -> (Boolean) js("var i = document.getElementById('drum-roll');"
                + "return i.complete && i.naturalWidth > 0;"));
        PianoRollRenderer.Layout layout = new PianoRollRenderer().layout(score);
        assertTrue(layout.hasDrums());
        assertEquals((long) layout.imageHeight(), ((Number) js("return document.getElementById('drum-roll')"
                + ".naturalHeight")).longValue(), "the roll has the drum band under the piano's rows");
        screenshot("listening-drums.png");
    }

    private static Note drum(int drumClass, int velocity, long tick) {
        return new Note(DrumKit.pitchOf(drumClass), velocity, DrumKit.CHANNEL, tick, 1, tick / 960.0, 1 / 960.0);
    }

    /** RMS of a mono 16-bit WAV's samples between two times. */
    private static double rms(byte[] wav, double from, double to) {
        int a = 44 + 2 * (int) (from * 22_050);
        int b = Math.min(wav.length, 44 + 2 * (int) (to * 22_050));
        double sum = 0;
        for (int i = a; i + 1 < b; i += 2) {
            double v = (short) ((wav[i] & 0xff) | (wav[i + 1] << 8));
            sum += v * v;
        }
        return Math.sqrt(sum / Math.max(1, (b - a) / 2));
    }

    /** By ear: no image in the trial, and no piano roll fetched by the page beyond those revealed after answers. */
    private void assertNoPianoRoll(String when) {
        assertEquals(0, driver.findElements(By.cssSelector("#pieces img")).size(), when + ": no image");
        assertEquals(revealed, pianoRollRequests(), when + ": no piano roll requested");
    }

    /** The samples whose piano roll the page has requested so far (the browser's resource timing entries). */
    @SuppressWarnings("unchecked")
    private Set<String> pianoRollRequests() {
        return new HashSet<>((List<String>) js("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => n.indexOf('/pianoroll') >= 0)"
                + ".map(n => n.split('/api/samples/')[1].split('/')[0]);"));
    }

    /** No sideways scrolling of the page; names the elements that stick out otherwise. */
    private void assertFitsTheScreen(String what) {
        Object overflow = js("if (document.documentElement.scrollWidth <= window.innerWidth) return '';"
                + "return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".filter(e => { for (let p = e.parentElement; p; p = p.parentElement) {"
                + "  if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false; }"
                + "  return true; })"
                + ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                + ".join('; ') || ('scrollWidth ' + document.documentElement.scrollWidth);");
        assertEquals("", overflow, what + " must fit a " + driver.manage().window().getSize().getWidth()
                + " px wide screen");
    }

    private void awaitPlaying(WebDriverWait wait, int piece) {
        wait.until(d -> (Boolean) js("var a = document.querySelectorAll('#pieces audio')[arguments[0]];"
                + "return !a.paused && a.currentTime > 0 || a.ended;", piece));
    }

    private static String sampleIds(String pageSource) {
        Matcher m = SAMPLE_IN_PAGE.matcher(pageSource);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            if (!ids.contains(m.group(1))) {
                ids.add(m.group(1));
            }
        }
        return String.join(",", ids);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private String url(String path) {
        String root = base.toString();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path;
    }

    private void screenshot(String name) throws IOException {
        Path dir = Paths.get(System.getProperty("musicgen.screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        // the whole page: grow the window to the document's height first
        Dimension size = driver.manage().window().getSize();
        long height = (Long) js("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(6000, Math.max(height + 140,
                size.getHeight()))));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(size);
    }
}
