package org.musicgen.evaluation.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.events.TrainingProgress;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study's figure in a real headless Chromium, fed through the real broker: runs on a piano-only corpus report
 * their epochs on {@code training.progress} while the results page is open, and each model's chart shows them as
 * piano alone; then runs on a performance-drums corpus report theirs, and without a reload each chart holds both
 * corpora with the legend "piano and drums" / "piano alone". Saves target/screenshots/results-drums.png
 * and results-drums-phone.png.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class DrumsFigureBrowserTest {

    // per epoch: LSTM training loss; GAN discriminator and generator loss
    private static final double[] LSTM_PIANO = {3.9, 3.1, 2.7, 2.5, 2.38, 2.3};
    private static final double[] LSTM_DRUMS = {4.4, 3.3, 2.8, 2.52, 2.36, 2.25};
    private static final double[][] GAN_PIANO = {{1.38, 0.71}, {1.31, 0.79}, {1.27, 0.86}, {1.24, 0.92}, {1.22, 0.95}};
    private static final double[][] GAN_DRUMS = {{1.36, 0.74}, {1.25, 0.88}, {1.18, 0.99}, {1.12, 1.08}, {1.09, 1.13}};

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/results")
    URL page;

    private WebDriver driver;

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void eachModelsChartHoldsItsLatestDrumsRunBesideItsLatestPianoRunAndUpdatesLive() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String lstmPiano = "lstm-piano-" + suffix;
        String lstmDrums = "lstm-drums-" + suffix;
        String ganPiano = "gan-piano-" + suffix;
        String ganDrums = "gan-drums-" + suffix;
        Instant t0 = Instant.now();

        driver = chromium();
        // the page redraws the figure's elements with each update: an element read during a redraw is stale
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> {
            d.get(page.toString());
            return !d.findElements(By.cssSelector("#drums-figure figure[data-model=lstm]")).isEmpty();
        });

        // piano alone: the charts show it and say what is missing
        publishLstm(lstmPiano, "piano-" + suffix, "performance", t0, LSTM_PIANO);
        publishGan(ganPiano, "piano-" + suffix, "performance", t0, GAN_PIANO);
        // (other tests of this application may have published drums runs before: what the chart holds beside these
        // depends on them, so only these runs' side is checked here; the missing-side sentences in DrumsComparisonTest)
        wait.until(d -> pianoLine(d, "lstm").contains(lstmPiano) && pianoLine(d, "gan").contains(ganPiano));

        // then a corpus with drums: both sides in one chart per model, without a reload
        publishLstm(lstmDrums, "groove-" + suffix, "performance-drums", t0.plusSeconds(60), LSTM_DRUMS);
        publishGan(ganDrums, "groove-" + suffix, "performance-drums", t0.plusSeconds(60), GAN_DRUMS);
        wait.until(d -> d.findElements(By.cssSelector("#drums-figure figure[data-model=lstm] path.series")).size() == 2
                && d.findElements(By.cssSelector("#drums-figure figure[data-model=gan] path.series")).size() == 4
                && d.findElement(By.cssSelector("#drums-figure figure[data-model=gan] li[data-side=drums]")).getText()
                .contains("epoch 5/5"));
        for (String model : List.of("lstm", "gan")) {
            WebElement figure = driver.findElement(By.cssSelector("#drums-figure figure[data-model=" + model + "]"));
            List<String> legend = figure.findElements(By.cssSelector("ul.legend li")).stream()
                    .map(WebElement::getText).toList();
            assertTrue(legend.stream().anyMatch(s -> s.startsWith("piano and drums")), model + ": " + legend);
            assertTrue(legend.stream().anyMatch(s -> s.startsWith("piano alone")), model + ": " + legend);
            assertTrue(figure.findElements(By.cssSelector("p.missing")).isEmpty(), model + ": nothing is missing");
        }
        assertEquals(2, driver.findElements(By.cssSelector("#drums-figure figure[data-model=lstm] path.s-drums, "
                + "#drums-figure figure[data-model=gan] path.s-drums.dashed")).size());
        // the LSTM's last drums point is the one published
        assertTrue(driver.findElement(By.cssSelector("#drums-figure figure[data-model=lstm] ul.legend")).getText()
                .contains("piano and drums (last 2.25)"));
        assertTrue(driver.findElement(By.cssSelector("#drums-figure figure[data-model=lstm] li[data-side=drums]"))
                .getText().contains("performance-drums"));
        screenshotOf(driver.findElement(By.cssSelector("section[aria-labelledby=drums-title]")), "results-drums.png");

        // the same figure for scripts, and for a page loaded now
        JsonNode results = json.readTree(given().accept("application/json").get("/api/results").asString());
        JsonNode lstm = results.path("drumsComparison").path("panels").get(0);
        assertEquals("lstm", lstm.path("model").asText());
        assertEquals(lstmDrums, lstm.path("drums").path("runId").asText());
        assertEquals("performance-drums", lstm.path("drums").path("encoding").asText());
        assertEquals(lstmPiano, lstm.path("piano").path("runId").asText());
        assertEquals(6, lstm.path("drums").path("points").size());
        assertTrue(lstm.path("missing").isNull() || lstm.path("missing").isMissingNode());
        driver.navigate().refresh();
        wait.until(d -> d.findElements(By.cssSelector("#drums-figure figure[data-model=gan] path.series")).size() == 4);
        assertTrue(pianoLine(driver, "gan").contains(ganPiano));
        assertEquals("GAN: generator and discriminator loss per epoch", driver.findElement(
                By.cssSelector("#drums-figure figure[data-model=gan] figcaption")).getText());

        // on a phone the two charts stack and the page does not scroll sideways
        driver.manage().window().setSize(new Dimension(375, 812));
        driver.navigate().refresh();
        wait.until(d -> d.findElements(By.cssSelector("#drums-figure figure[data-model=lstm] path.series")).size() == 2);
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "the page is wider than a phone by " + overflow + " px");
        screenshotOf(driver.findElement(By.id("drums-figure")), "results-drums-phone.png");
    }

    private void publishLstm(String run, String corpus, String encoding, Instant start, double[] losses)
            throws Exception {
        for (int epoch = 1; epoch <= losses.length; epoch++) {
            publish(new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE,
                    start.plusSeconds(epoch), run, corpus, "lstm", epoch == losses.length ? "COMPLETED" : "RUNNING",
                    epoch, losses.length, null, null, losses[epoch - 1], losses[epoch - 1] + 0.15, null, null, null,
                    12000.0, null, null, encoding));
        }
    }

    private void publishGan(String run, String corpus, String encoding, Instant start, double[][] losses)
            throws Exception {
        for (int epoch = 1; epoch <= losses.length; epoch++) {
            publish(new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE,
                    start.plusSeconds(epoch), run, corpus, "gan", "RUNNING", epoch, losses.length, null, null, null,
                    null, null, losses[epoch - 1][0], losses[epoch - 1][1], 300.0, null, null, encoding));
        }
    }

    private void publish(TrainingProgress progress) throws Exception {
        stack.topics().send(Topics.TRAINING_PROGRESS, progress.runId(), json.writeValueAsString(progress));
    }

    private static String pianoLine(WebDriver d, String model) {
        return d.findElement(By.cssSelector("#drums-figure figure[data-model=" + model + "] li[data-side=piano]"))
                .getText();
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(System.getProperty("musicgen.chromium", "/usr/bin/chromium")));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1100,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingAnyFreePort().usingDriverExecutable(
                new File(System.getProperty("musicgen.chromedriver", "/usr/bin/chromedriver"))).build(), options);
    }

    private void screenshotOf(WebElement element, String name) throws IOException {
        Path dir = Paths.get(System.getProperty("musicgen.screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView(true);", element);
        File shot = element.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
