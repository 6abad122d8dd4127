package io.livecamel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Apache Karaf: the distribution from Maven (copied into target by the build), unpacked fresh into a folder and
 * run as a server in a child process, its console and shell ports moved to free ones, its Maven resolver reading the
 * build's local repository first.
 */
public final class Karaf implements AutoCloseable {

    private final Path home;
    private Process process;

    private Karaf(Path home) {
        this.home = home;
    }

    /** Unpacks the distribution the build copied (system property {@code karaf.distribution}). */
    public static Karaf unpack(Path folder) throws IOException, InterruptedException {
        Path distribution = Path.of(System.getProperty("karaf.distribution", "target/no-karaf-distribution"));
        if (!Files.isRegularFile(distribution)) {
            throw new IllegalStateException("the Karaf distribution " + distribution + " is missing: run the "
                    + "integration tests with mvn verify");
        }
        Files.createDirectories(folder);
        Process tar = new ProcessBuilder("tar", "xzf", distribution.toString(), "-C", folder.toString(),
                "--strip-components=1").inheritIO().start();
        if (!tar.waitFor(2, TimeUnit.MINUTES) || tar.exitValue() != 0) {
            throw new IOException("cannot unpack " + distribution);
        }
        Karaf karaf = new Karaf(folder);
        karaf.set("org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("maven.local.repository", Path.of(System.getProperty("user.home"), ".m2",
                        "repository").toString()));
        karaf.set("org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                "https://repo1.maven.org/maven2@id=central");
        karaf.set("org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePort.find()));
        karaf.set("org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(FreePort.find()));
        karaf.set("org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(FreePort.find()));
        return karaf;
    }

    /** Features repositories and features installed when Karaf boots, as feature:repo-add and feature:install do. */
    public void boot(List<String> repositories, List<String> features) throws IOException {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        String text = Files.readString(cfg);
        text = append(text, "featuresRepositories", repositories);
        text = append(text, "featuresBoot", features);
        Files.writeString(cfg, text);
    }

    /** Writes {@code etc/<pid>.cfg}, which Karaf hands to Configuration Admin. */
    public void configure(String pid, String properties) throws IOException {
        Files.writeString(home.resolve("etc").resolve(pid + ".cfg"), properties);
    }

    /** Starts {@code bin/karaf server} with the given environment added. */
    public void start(Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_MAX_MEM", "512m");
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** Karaf's own log (data/log/karaf.log), then its console output. */
    public String log() {
        return read(home.resolve("data/log/karaf.log")) + "\n--- console ---\n" + read(home.resolve("console.log"));
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Stops Karaf as a service manager does (SIGTERM to its JVM, which bin/karaf runs as a child); returns its exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        // the shell ends once its JVM has
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Karaf did not stop in " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    private void set(String file, String name, String value) throws IOException {
        Path cfg = home.resolve("etc").resolve(file);
        String text = Files.readString(cfg);
        Matcher setting = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(name) + "\\s*=.*(\\\\\\n.*)*$").matcher(text);
        String line = name + " = " + value.replace("\\", "\\\\");
        text = setting.find() ? text.substring(0, setting.start()) + line + text.substring(setting.end())
                : text + "\n" + line + "\n";
        Files.writeString(cfg, text);
    }

    private static String append(String cfg, String name, List<String> values) {
        Matcher setting = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*=(.*\\\\\\n)*.*$").matcher(cfg);
        if (!setting.find()) {
            throw new IllegalStateException(name + " is not in etc/org.apache.karaf.features.cfg");
        }
        return cfg.substring(0, setting.end()) + ", \\\n    " + String.join(", \\\n    ", values)
                + cfg.substring(setting.end());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
