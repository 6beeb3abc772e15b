package org.musicgen.generator.browser;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.TrainedModel;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestModels;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Compose page in a real headless Chromium (Debian's chromium and chromedriver, installed by
 * evaluation-service/src/test/browser/install-chromium.sh, as the listening form's test does), on the real local stack
 * with a small LSTM trained here and one that reads controls: the models listed, the controls closed for the first
 * and open with its labels for the second, a compose refused without the API key, the key entered once, a piece in
 * D minor, 4 notes per second, "Chopin" composed and played on the bundled piano with its roll, the controls asked
 * and reached and its metrics, the MIDI offered, and the key in no URL and no cookie. Saves target/screenshots/compose-desktop.png and compose-phone.png (390 px wide).
 */
@QuarkusTest
@TestProfile(ComposePageBrowserTest.WithApiKey.class)
@QuarkusTestResource(LocalStackTestResource.class)
class ComposePageBrowserTest {

    static final String API_KEY = "compose-page-key-7f3a91";
    static final Path CHROMIUM = Paths.get(System.getProperty("musicgen.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("musicgen.chromedriver", "/usr/bin/chromedriver"));

    /** The service with an API key, so that composing needs it. */
    public static class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("musicgen.api.key", API_KEY);
        }
    }

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ModelCatalogue catalogue;

    @TestHTTPResource("/")
    URL base;

    private WebDriver driver;
    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install them with: bash evaluation-service/src/test/browser/install-chromium.sh (as root).");
        }
        profile = Files.createTempDirectory("compose-chromium-");
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
    void aMusicianEntersTheKeyOnceComposesHearsAndSeesThePieceAndTheKeyStaysOutOfUrlsAndCookies() throws Exception {
        CorpusDataset dataset = TestDatasets.oneKeyCorpus(8, "performance");
        String corpusId = TestDatasets.publish(stack, dataset);
        ModelTrained lstm = TestModels.trainPlainLstm(stack, corpusId, dataset, 2);
        catalogue.register(new TrainedModel(lstm.runId(), lstm.corpusId(), lstm.model(), lstm.checkpointBucket(),
                lstm.checkpointKey(), lstm.epochs(), Map.of("bitsPerNote", 4.21, "ngramBitsPerNote", 4.9,
                "validationPerplexity", 7.3), lstm.occurredAt()));
        // and one that reads controls and knows two labels (untrained: what it reaches is its own)
        ModelTrained steered = TestModels.conditionedLstm(stack, corpusId, dataset, List.of("Bach", "Chopin"));
        catalogue.register(new TrainedModel(steered.runId(), steered.corpusId(), steered.model(),
                steered.checkpointBucket(), steered.checkpointKey(), steered.epochs(), Map.of(),
                steered.occurredAt().plusSeconds(1)));

        driver.get(url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        assertEquals("Compose · musicgen", driver.getTitle());
        assertTrue((Boolean) js("return Array.from(document.querySelectorAll('script[src],link[href],img[src]'))"
                + ".every(e => new URL(e.src || e.href).origin === location.origin)"), "everything is served locally");

        // the models of the corpus: this LSTM with its encoding, its (absent) controls and its final metrics
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=model][value='"
                + lstm.runId() + "']")));
        String models = driver.findElement(By.id("models")).getText();
        assertTrue(models.contains("Corpus " + corpusId), models);
        assertTrue(models.contains("performance encoding") && models.contains("no controls"), models);
        assertTrue(models.contains("bits per note") && models.contains("4.21"), models);
        driver.findElement(By.cssSelector("input[name=model][value='" + lstm.runId() + "']")).click();
        assertEquals(Boolean.TRUE, js("return document.getElementById('controls').disabled"),
                "a model without controls takes none");
        assertFalse(driver.findElement(By.id("key")).isEnabled());
        assertFalse(driver.findElement(By.id("like-prompt")).isEnabled());
        assertTrue(driver.findElement(By.id("controls-note")).getText().contains("trained without controls"));
        assertEquals(25, driver.findElements(By.cssSelector("#key option")).size(), "any and the 24 keys");

        // the model with controls: they open, with its labels
        driver.findElement(By.cssSelector("input[name=model][value='" + steered.runId() + "']")).click();
        assertTrue(driver.findElement(By.id("key")).isEnabled());
        assertEquals(List.of("any", "Bach", "Chopin"), driver.findElements(By.cssSelector("#label option")).stream()
                .map(o -> o.getText()).toList());
        new Select(driver.findElement(By.id("key"))).selectByValue("D minor");
        setValue("density", "4");
        new Select(driver.findElement(By.id("label"))).selectByValue("Chopin");

        // no key yet: the service refuses, and the page says what to do
        setValue("seconds", "6");
        setValue("seed", "3");
        driver.findElement(By.id("compose")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertTrue(driver.findElement(By.id("error")).getText().contains("API key"),
                driver.findElement(By.id("error")).getText());

        // the key once for this session
        driver.findElement(By.id("api-key")).sendKeys(API_KEY);
        driver.findElement(By.id("key-save")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-set")));
        assertEquals("", driver.findElement(By.id("api-key")).getAttribute("value"), "the field is emptied");

        driver.findElement(By.id("compose")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("progress")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
        assertFalse(driver.findElement(By.id("error")).isDisplayed());
        assertEquals(3, driver.findElements(By.cssSelector("#phases li.done")).size(), "every phase done, timed");
        wait.until(d -> (Boolean) js("var i = document.getElementById('roll');"
                + "return i.complete && i.naturalWidth > 0;"));
        assertEquals("piano", driver.findElement(By.id("player")).getAttribute("data-source"),
                "played on the bundled piano");
        assertTrue(driver.findElement(By.id("player")).getAttribute("src").startsWith("blob:"));
        // it plays: the WAV made in the page has the clip's length
        js("document.getElementById('player').play();");
        wait.until(d -> (Boolean) js("var a = document.getElementById('player');"
                + "return a.readyState >= 1 && Math.abs(a.duration - 6) < 0.05 && a.currentTime > 0;"));

        String reachedKey = driver.findElement(By.cssSelector("tr[data-control=Key] td:nth-of-type(2)")).getText();
        assertTrue(reachedKey.matches("[A-G][#b]? (major|minor)"), "the key the piece reached: " + reachedKey);
        assertEquals("D minor", driver.findElement(By.cssSelector("tr[data-control=Key] td:nth-of-type(1)"))
                .getText());
        assertEquals("4.00", driver.findElement(By.cssSelector("tr[data-control='Notes per second'] td"))
                .getText());
        assertEquals("Chopin", driver.findElement(By.cssSelector("tr[data-control=Label] td")).getText());
        assertTrue(driver.findElement(By.cssSelector("tr[data-control='Notes per second'] td:nth-of-type(2)"))
                .getText().matches("[0-9.]+"));
        assertEquals(12, driver.findElements(By.cssSelector("#pitch-classes .bar.asked")).size());
        assertEquals(12, driver.findElements(By.cssSelector("#pitch-classes .bar.reached")).size());
        String metrics = driver.findElement(By.id("metrics")).getText();
        assertTrue(metrics.contains("pitch-class entropy") && metrics.contains("notes"), metrics);
        String sampleId = driver.findElement(By.id("result")).getAttribute("data-sample");
        assertEquals("/api/samples/" + sampleId + "/midi", new URL(driver.findElement(By.id("download"))
                .getAttribute("href")).getPath());
        assertTrue(driver.findElement(By.id("download")).getAttribute("download").endsWith(".mid"));
        screenshot("compose-desktop.png");

        // the key: in this tab's session storage, and in no URL the page loaded and no cookie
        assertEquals(API_KEY, js("return sessionStorage.getItem('musicgen.apiKey')"));
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) js("return [location.href].concat(performance.getEntriesByType('resource')"
                + ".map(e => e.name))");
        assertTrue(urls.stream().anyMatch(u -> u.contains("/api/samples")), urls.toString());
        assertTrue(urls.stream().noneMatch(u -> u.contains(API_KEY)), "the key is in no URL: " + urls);
        for (Cookie cookie : driver.manage().getCookies()) {
            assertFalse(cookie.getValue().contains(API_KEY) || cookie.getName().contains(API_KEY), cookie.toString());
        }
        assertFalse(((String) js("return document.cookie")).contains(API_KEY));
        assertFalse(driver.getPageSource().contains(API_KEY), "nor in the page");

        // a phone's width: one column, nothing wider than the screen
        driver.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> (Long) js("return window.innerWidth") <= 390);
        assertTrue((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth"),
                "no sideways scrolling at 390 px: " + js("return document.documentElement.scrollWidth"));
        screenshot("compose-phone.png");
    }

    private void setValue(String id, String value) {
        var field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
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
