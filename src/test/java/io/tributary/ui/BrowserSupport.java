package io.tributary.ui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium against a running Tributary server, at 1280×800.
 * It collects the browser console and fails ({@link #assertClean()}, also run by {@link #close()})
 * on any JavaScript error, any Content-Security-Policy violation and any request to a host other
 * than the server's: the UI must work offline and without errors.
 *
 * <p>Not thread-safe: one test thread drives one browser.
 */
public final class BrowserSupport implements AutoCloseable {
    public static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final ChromeDriver driver;
    private final List<String> problems = new ArrayList<>();
    private final List<String> console = new ArrayList<>();
    private boolean checked;

    private BrowserSupport(URI base) {
        this.base = requireNonNull(base, "base is null");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
        // The window includes browser chrome even headless: grow it so the page itself is 1280×800.
        Number innerWidth = (Number) driver.executeScript("return window.innerWidth");
        Number innerHeight = (Number) driver.executeScript("return window.innerHeight");
        driver.manage().window().setSize(new Dimension(1280 + (1280 - innerWidth.intValue()), 800 + (800 - innerHeight.intValue())));
        driver.manage().timeouts().scriptTimeout(TIMEOUT);
    }

    /** A browser for the server at base (e.g. {@code http://127.0.0.1:PORT}). */
    public static BrowserSupport open(URI base) {
        return new BrowserSupport(base);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads the UI at a hash route, e.g. {@code "#/sql"}. */
    public BrowserSupport go(String hash) {
        String target = base.resolve("/ui/").toString() + (hash.startsWith("#") ? hash : "#" + hash);
        if (driver.getCurrentUrl() != null && driver.getCurrentUrl().startsWith(base.resolve("/ui/").toString())) {
            // Same document: a hash change keeps the login session and avoids a reload.
            ((JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", hash.startsWith("#") ? hash : "#" + hash);
        } else {
            driver.get(target);
        }
        collectLogs();
        return this;
    }

    /** Opens the login page and logs in; waits until the nav bar shows the user. */
    public BrowserSupport login(String user, String password) {
        driver.get(base.resolve("/ui/").toString() + "#/login");
        WebElement name = waitFor("input[name=username]");
        name.clear();
        name.sendKeys(user);
        WebElement pw = waitFor("input[name=password]");
        pw.clear();
        pw.sendKeys(password);
        pw.submit();
        waitUntil("the nav bar to show " + user, () -> !driver.findElements(By.cssSelector("#nav .user")).isEmpty()
                && user.equals(driver.findElement(By.cssSelector("#nav .user")).getText()));
        collectLogs();
        return this;
    }

    /** Waits until an element matching css is present and displayed. */
    public WebElement waitFor(String css) {
        return waitFor(css, TIMEOUT);
    }

    public WebElement waitFor(String css, Duration timeout) {
        try {
            return new WebDriverWait(driver, timeout).until(d -> {
                for (WebElement e : d.findElements(By.cssSelector(css))) {
                    if (e.isDisplayed()) {
                        return e;
                    }
                }
                return null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            collectLogs();
            throw new AssertionError("no visible element '" + css + "' after " + timeout.toSeconds() + " s on " + driver.getCurrentUrl()
                    + "; page text: " + pageText() + "; console: " + console, e);
        }
    }

    public void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        try {
            new WebDriverWait(driver, TIMEOUT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            collectLogs();
            throw new AssertionError("timed out waiting for " + what + " on " + driver.getCurrentUrl() + "; page text: " + pageText()
                    + "; console: " + console, e);
        }
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs an asynchronous script: its last argument is the callback that returns the result. */
    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    private String pageText() {
        try {
            // main and any dialog: the nav bar's time-zone list would drown everything else.
            String text = String.valueOf(script("return [...document.querySelectorAll('main, dialog, #toasts')].map(e => e.innerText).join(' | ')"));
            return text.length() > 1500 ? text.substring(0, 1500) + "…" : text;
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Saves target/screenshots/{name}.png of the current viewport (1280×800). */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("writing screenshot " + name, e);
        }
    }

    /** Everything the console said so far (for assertions and failure messages). */
    public List<String> console() {
        collectLogs();
        return List.copyOf(console);
    }

    private void collectLogs() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String message = entry.getMessage();
            console.add(entry.getLevel() + " " + message);
            if (isProblem(entry.getLevel(), message)) {
                problems.add(message);
            }
        }
    }

    /**
     * A failed API call (a 4xx the page then shows in words) logs "Failed to load resource" in
     * Chromium; that is expected behaviour, not a script error. Everything else at SEVERE is.
     */
    static boolean isProblem(Level level, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("content security policy")) {
            return true;
        }
        if (level.intValue() < Level.SEVERE.intValue()) {
            return false;
        }
        return !m.contains("failed to load resource: the server responded with a status of");
    }

    /** Fails on console errors and on any resource loaded from another host. */
    public void assertClean() {
        collectLogs();
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) script(
                "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);");
        String origin = base.getScheme() + "://" + base.getAuthority();
        List<String> foreign = resources.stream().filter(u -> !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")).toList();
        if (!foreign.isEmpty()) {
            throw new AssertionError("the page requested other hosts: " + foreign);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("browser console errors: " + problems);
        }
    }

    @Override
    public void close() {
        try {
            if (!checked) {
                checked = true;
                assertClean();
            }
        } finally {
            driver.quit();
        }
    }
}
