package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layering the README's layout section draws, checked on the sources: a package imports only packages of the
 * layers below its own (never one above, never one beside it), so there is no import cycle; and no main class is
 * over 300 lines. Read from the source files, fully qualified names included, so that nothing slips by an import.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/livecamel");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.livecamel\\.([a-z]+)\\.[A-Z]");
    private static final int MOST_LINES = 300;

    /** Top to bottom; the packages of one layer do not import each other. "" is io.livecamel itself. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("", "karaf"),
            List.of("routes"),
            List.of("web", "workarounds"),
            List.of("origin", "cdn", "admission", "cluster"),
            List.of("settings"),
            List.of("ingest"),
            List.of("restream"),
            List.of("rtmp"),
            List.of("media", "hls"));

    @Test
    void everyPackageImportsOnlyLayersBelowItsOwn() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Path, String> source : sources().entrySet()) {
            String from = packageOf(source.getKey());
            int layer = layerOf(from);
            Matcher reference = REFERENCE.matcher(source.getValue());
            while (reference.find()) {
                String to = reference.group(1);
                if (!to.equals(from) && layerOf(to) <= layer) {
                    wrong.add(SOURCES.relativize(source.getKey()) + " uses io.livecamel." + to);
                }
            }
        }
        assertEquals(List.of(), wrong.stream().distinct().toList(),
                "a package may use only the layers below its own: " + LAYERS);
    }

    @Test
    void noMainClassIsOverThreeHundredLines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Map.Entry<Path, String> source : sources().entrySet()) {
            long lines = source.getValue().lines().count();
            if (lines > MOST_LINES) {
                long_.add(SOURCES.relativize(source.getKey()) + ": " + lines + " lines");
            }
        }
        assertEquals(List.of(), long_, "one job per class");
    }

    @Test
    void everyPackageIsInALayer() throws IOException {
        for (Path file : sources().keySet()) {
            layerOf(packageOf(file));
        }
    }

    private static Map<Path, String> sources() throws IOException {
        Map<Path, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(file, Files.readString(file));
            }
        }
        return sources;
    }

    private static String packageOf(Path file) {
        Path folder = SOURCES.relativize(file).getParent();
        return folder == null ? "" : folder.toString().replace('/', '.');
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package io.livecamel." + pkg + " is in no layer: add it to LayeringTest and to "
                + "the README's layout section");
    }
}
