package org.musicgen.evaluation.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.events.TrainingProgress;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A rater's visit in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * src/test/browser/install-chromium.sh): consent, blind trials answered with the keyboard after playing the audio,
 * a duplicate refused, then the counts on the results page, whose training chart updates live. Saves
 * target/screenshots/listening-form.png and results.png.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ListeningFormBrowserTest {

    static final Path CHROMIUM = Paths.get(System.getProperty("musicgen.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("musicgen.chromedriver", "/usr/bin/chromedriver"));
    private static final Pattern SAMPLE_IN_PAGE = Pattern.compile("data-sample=\"([0-9a-f-]{36})\"");
    private static final Pattern MODEL_WORD = Pattern.compile("\\b(lstm|gan|corpus)\\b", Pattern.CASE_INSENSITIVE);

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
        int ratingsBefore = given().when().get("/api/results").then().statusCode(200).extract().path("ratings");

        driver.get(url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        assertEquals("Listening test · musicgen", driver.getTitle());
        assertTrue((Boolean) js("return Array.from(document.querySelectorAll('script[src],link[href],img[src]'))"
                + ".every(e => new URL(e.src || e.href).origin === location.origin)"), "everything is served locally");
        assertFalse(MODEL_WORD.matcher(driver.getPageSource()).find(), "the form names no model");

        // consent with the keyboard: tick the box with Space, start with Enter
        driver.findElement(By.id("consent-box")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("start")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trial")));

        int total = Integer.parseInt(driver.findElement(By.id("trial-total")).getText());
        assertEquals(4, total, "the test profile's series has 4 trials");
        List<String> rated = new ArrayList<>();
        for (int trial = 1; trial <= total; trial++) {
            wait.until(ExpectedConditions.textToBe(By.id("trial-number"), Integer.toString(trial)));
            String source = driver.getPageSource();
            assertFalse(MODEL_WORD.matcher(source).find(), "trial " + trial + " does not reveal the model");
            boolean pair = driver.findElement(By.id("pair-question")).isDisplayed();
            List<WebElement> audios = driver.findElements(By.cssSelector("#pieces audio"));
            assertEquals(pair ? 2 : 1, audios.size());

            // play with a click and check the audio really plays, to the end (the 1 s tone)
            driver.findElements(By.cssSelector("#pieces button.play")).get(0).click();
            awaitPlaying(wait, 0);
            assertTrue((Boolean) js("return document.querySelector('#pieces audio').src.startsWith('blob:')"),
                    "the piece plays the sample's MIDI on the bundled piano, not the stored WAV");
            wait.until(d -> d.findElements(By.cssSelector("#pieces .piece.was-heard")).size() == 1);
            if (pair) {
                // piece B from the keyboard
                new Actions(driver).sendKeys("b").perform();
                awaitPlaying(wait, 1);
                wait.until(d -> d.findElements(By.cssSelector("#pieces .piece.was-heard")).size() == 2);
            }

            if (pair) {
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
            rated.add((pair ? "pair:" : "single:") + sampleIds(source));
            new Actions(driver).sendKeys(Keys.ENTER).perform();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
        assertTrue(driver.findElement(By.id("done-text")).getText().contains("You answered 4 of 4"));

        // the same rater sends the first single trial again, from the page: refused
        String single = rated.stream().filter(r -> r.startsWith("single:")).findFirst().orElseThrow()
                .substring("single:".length()).split(",")[0];
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
        assertEquals(Integer.toString(ratingsBefore + 4), driver.findElement(By.id("total-ratings")).getText());
        int singles = 0;
        for (String model : List.of("lstm", "gan", "corpus")) {
            singles += Integer.parseInt(driver.findElement(
                    By.cssSelector(".models tr[data-model=" + model + "] td[data-field=ratings]")).getText());
        }
        assertEquals(Integer.parseInt(driver.findElement(By.id("single-ratings")).getText()), singles);

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
