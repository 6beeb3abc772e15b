package org.musicgen.evaluation.results;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The results page in a real browser with the results of a simulated listening test (the rater model of
 * {@link SimulatedPanelTest}: a planted 0.6-point LSTM-GAN difference, random clickers among the raters, a GAN clip
 * that fell short), served by the page's own service in place of the live ratings: the screened verdict, the
 * excluded raters, the Turing table and the clip lengths are on the page, nothing sticks out sideways on a wide or a
 * phone-sized screen. Saves target/screenshots/results-verdict.png and results-verdict-phone.png.
 */
@QuarkusTest
class ResultsPageBrowserTest {

    @Inject
    RatingBook book;

    @Inject
    SampleCatalogue catalogue;

    @Inject
    TrainingCurves curves;

    @Inject
    EvaluationConfig config;

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
    void theVerdictScreeningTuringTestAndClipLengthsOfASimulatedPanel() throws IOException {
        SimulatedPanelTest.Panel panel = new SimulatedPanelTest.Panel(SimulatedPanelTest.Series.defaults(),
                SimulatedPanelTest.PLANTED, new SplittableRandom(7));
        List<Sample> samples = new ArrayList<>(panel.samples);
        samples.add(new Sample("gan-short", "run-gan-7", "corpus", "gan", "samples", "m", "a", "p", "j", null, 100, 30,
                11.2, Map.of(), Instant.EPOCH, Instant.EPOCH, 20.0, null));
        Results results = ResultsCalculator.compute(panel.ratings, samples, List.of(), Instant.parse(
                "2026-12-07T12:00:00Z"), VerdictSettings.of(config));
        QuarkusMock.installMockForType(new ResultsService(book, catalogue, curves, config) {
            @Override
            public Results current() {
                return results;
            }
        }, ResultsService.class);

        driver = chromium();
        driver.get(page.toString());
        WebElement conclusion = driver.findElement(
                By.cssSelector(".verdict[data-question=pleasing] [data-field=conclusion]"));
        assertTrue(conclusion.getText().startsWith("LSTM rated higher than GAN"), conclusion.getText());
        int excluded = results.screening().excludedCount();
        assertTrue(excluded >= 10, "most of the 12 random clickers: " + excluded);
        assertEquals(Integer.toString(excluded), driver.findElement(By.id("screened-out")).getText());
        assertEquals(excluded, driver.findElements(By.cssSelector("table.excluded tbody tr")).size());
        String turing = driver.findElement(By.cssSelector("table.turing tr[data-model=lstm][data-raters=screened] "
                + "td[data-field=rate]")).getText();
        assertEquals(String.format("%.0f%%", 100 * results.turing().screened().get(0).pickedAsHuman().rate()), turing);
        assertEquals("20.0 s", driver.findElement(By.id("clip-seconds")).getText());
        assertTrue(driver.findElement(By.cssSelector(".shortfalls li[data-model=gan]")).getText()
                .contains("run-gan-7"));
        assertFitsTheScreen();
        screenshot("results-verdict.png");

        driver.manage().window().setSize(new Dimension(375, 812));
        driver.navigate().refresh();
        assertFitsTheScreen();
        screenshot("results-verdict-phone.png");
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(System.getProperty("musicgen.chromium", "/usr/bin/chromium")));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1100,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingAnyFreePort().usingDriverExecutable(
                new File(System.getProperty("musicgen.chromedriver", "/usr/bin/chromedriver"))).build(), options);
    }

    /** The page itself never scrolls sideways (wide tables scroll inside their own box). */
    private void assertFitsTheScreen() {
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(((Number) overflow).longValue() <= 0, "the page is wider than the window by " + overflow + " px");
    }

    private void screenshot(String name) throws IOException {
        Path dir = Paths.get(System.getProperty("musicgen.screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        long height = ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight;")).longValue();
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(9000, height + 140)));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(size);
    }
}
