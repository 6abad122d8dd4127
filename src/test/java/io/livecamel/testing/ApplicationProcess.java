package io.livecamel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application in a JVM of its own, started as {@code mvn compile camel:run} starts it (same main class, same
 * working folder, the JVM options of {@code .mvn/jvm.config}, settings as -D options), with its console output kept
 * in a file.
 */
public final class ApplicationProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ApplicationProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ApplicationProcess start(Map<String, String> settings, Path logDir) throws IOException {
        return start(settings, Map.of(), logDir);
    }

    /** With environment variables added to this JVM's. */
    public static ApplicationProcess start(Map<String, String> settings, Map<String, String> environment,
            Path logDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classPath()));
        command.addAll(runOptions());
        settings.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("io.livecamel.StreamingApplication");
        Files.createDirectories(logDir);
        return run(command, environment, Files.createTempFile(logDir, "application", ".log"));
    }

    /** Any command, with environment variables added to this JVM's, its console output in {@code output}. */
    public static ApplicationProcess run(List<String> command, Map<String, String> environment, Path output)
            throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new ApplicationProcess(builder.start(), output);
    }

    /** This JVM's java command. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path (the tests' one under Maven). */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The JVM options {@code mvn compile camel:run} runs with (Maven reads them from .mvn/jvm.config). */
    public static List<String> runOptions() throws IOException {
        Path options = Path.of(".mvn", "jvm.config");
        return Files.isRegularFile(options)
                ? List.of(Files.readString(options).trim().split("\\s+")) : List.of();
    }

    /**
     * Another application that embeds this one: its main class, run on the packaged jar (not target/classes, which
     * holds the standalone application's configuration) with the folders in {@code first} ahead of it on the class
     * path (the host's own configuration and routes).
     */
    public static ApplicationProcess startHost(String mainClass, List<String> arguments, List<Path> first,
            Map<String, String> environment, Path logDir) throws IOException {
        Path jar = Path.of(System.getProperty("livestreaming.jar", "target/no-jar-set.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the packaged jar " + jar + " is missing: run the integration tests with "
                    + "mvn verify");
        }
        Path classes = Path.of("target", "classes").toAbsolutePath();
        List<String> classPath = new ArrayList<>();
        first.forEach(folder -> classPath.add(folder.toString()));
        for (String entry : classPath().split(java.io.File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().equals(classes) ? jar.toString() : entry);
        }
        List<String> command = new ArrayList<>(List.of(java(), "-cp",
                String.join(java.io.File.pathSeparator, classPath), mainClass));
        command.addAll(arguments);
        Files.createDirectories(logDir);
        return run(command, environment, Files.createTempFile(logDir, "host", ".log"));
    }

    /**
     * Closes its standard input (what the benchmark's helper processes end on) and waits for it to end; then stops
     * it with SIGTERM, then SIGKILL.
     */
    public void endInput(Duration timeout) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Stops it as a service manager does (SIGTERM); returns its exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits for a line of the console output that contains {@code text}; returns that line. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        String[] found = new String[1];
        Eventually.await("'" + text + "' in " + output, timeout, () -> {
            for (String line : output().split("\n")) {
                if (line.contains(text)) {
                    found[0] = line;
                    return true;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(output + ": the process exited with " + process.exitValue() + ":\n"
                        + output());
            }
            return false;
        });
        return found[0];
    }

    /** Waits for the process to end; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the application did not exit in " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }
}
