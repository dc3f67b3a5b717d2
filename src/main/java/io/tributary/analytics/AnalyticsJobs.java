package io.tributary.analytics;

import io.tributary.common.TributaryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs available: those built in and those in plug-in jars found in the plugins directory, all
 * discovered with {@link ServiceLoader}. A plug-in cannot replace a built-in job of the same name.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class AnalyticsJobs {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsJobs.class);

    private final Map<String, AnalyticsJob> jobs;
    private final List<String> plugins;

    private AnalyticsJobs(Map<String, AnalyticsJob> jobs, List<String> plugins) {
        this.jobs = Map.copyOf(jobs);
        this.plugins = List.copyOf(plugins);
    }

    /** Built-in jobs plus those in every {@code *.jar} of {@code pluginsDirectory} (which may be missing). */
    public static AnalyticsJobs discover(Optional<Path> pluginsDirectory) {
        Map<String, AnalyticsJob> jobs = new TreeMap<>();
        List<String> plugins = new ArrayList<>();
        for (AnalyticsJob job : ServiceLoader.load(AnalyticsJob.class, AnalyticsJobs.class.getClassLoader())) {
            jobs.put(job.name(), job);
        }
        if (pluginsDirectory.isPresent() && Files.isDirectory(pluginsDirectory.get())) {
            List<URL> jars = new ArrayList<>();
            try (Stream<Path> files = Files.list(pluginsDirectory.get())) {
                for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    jars.add(jar.toUri().toURL());
                    plugins.add(jar.getFileName().toString());
                }
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list plugins directory " + pluginsDirectory.get(), e);
            }
            if (!jars.isEmpty()) {
                URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), AnalyticsJobs.class.getClassLoader());
                try {
                    for (AnalyticsJob job : ServiceLoader.load(AnalyticsJob.class, loader)) {
                        if (jobs.containsKey(job.name()) && jobs.get(job.name()).getClass().getClassLoader() != loader) {
                            LOG.warn("Plug-in job '{}' ({}) has the name of a built-in job and is ignored", job.name(), job.getClass().getName());
                            continue;
                        }
                        jobs.put(job.name(), job);
                        LOG.info("Loaded analytics job '{}' from plug-in {}", job.name(), job.getClass().getName());
                    }
                } catch (ServiceConfigurationError e) {
                    throw TributaryException.invalidArgument("a plug-in in %s is broken: %s", pluginsDirectory.get(), e.getMessage());
                }
            }
        }
        return new AnalyticsJobs(jobs, plugins);
    }

    public AnalyticsJob job(String name) {
        AnalyticsJob job = jobs.get(name);
        if (job == null) {
            throw TributaryException.notFound("no analytics job '%s'; available: %s", name, String.join(", ", jobs.keySet()));
        }
        return job;
    }

    public List<AnalyticsJob> all() {
        return List.copyOf(jobs.values());
    }

    /** File names of the plug-in jars loaded. */
    public List<String> plugins() {
        return plugins;
    }
}
