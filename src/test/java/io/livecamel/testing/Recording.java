package io.livecamel.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a destination recorded (an FLV file), as Debian's ffprobe reads it: its codecs, its duration, and every
 * packet's decoding timestamp per track ({@code video}, {@code audio}). Where ffprobe is missing, the test is skipped
 * with the reason printed ({@code .ci/run} installs Debian's ffmpeg, which has it).
 */
public record Recording(Path file, List<String> codecs, double duration, Map<String, List<Double>> timestamps) {

    public static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    /** Skips the test, saying why, when ffprobe is missing. */
    public static void assumeProbe() {
        boolean present = Files.isExecutable(FFPROBE);
        if (!present) {
            System.out.println("SKIPPED: ffprobe is not installed (apt-get install ffmpeg; .ci/run does)");
        }
        assumeTrue(present, "ffprobe is not installed (apt-get install ffmpeg)");
    }

    /**
     * nginx-rtmp's one recording ({@code record all; record_unique on;}) in {@code folder} of the stream published
     * with {@code key}: its file name starts with the key.
     */
    public static Path recordedBy(Path folder, String key) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.filter(file -> file.getFileName().toString().startsWith(key + "-")).toList();
            org.junit.jupiter.api.Assertions.assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    public static Recording probe(Path file) throws IOException, InterruptedException {
        List<String> codecs = run(file, "-show_entries", "stream=codec_name", "-of", "csv=p=0");
        double duration = Double.parseDouble(run(file, "-show_entries", "format=duration", "-of", "csv=p=0").get(0));
        Map<String, List<Double>> timestamps = new LinkedHashMap<>();
        for (String line : run(file, "-show_entries", "packet=codec_type,dts_time", "-of", "csv=p=0")) {
            String[] fields = line.split(",");
            if (fields.length == 2 && !fields[1].equals("N/A")) {
                timestamps.computeIfAbsent(fields[0], type -> new ArrayList<>()).add(Double.parseDouble(fields[1]));
            }
        }
        return new Recording(file, codecs, duration, timestamps);
    }

    private static List<String> run(Path file, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FFPROBE.toString(), "-v", "error"));
        command.addAll(List.of(options));
        command.add(file.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("ffprobe failed on " + file + ": " + output);
        }
        return output.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    /** Each place where a track's timestamp goes back, in words; empty when none does. */
    public List<String> backwards() {
        List<String> back = new ArrayList<>();
        timestamps.forEach((track, times) -> {
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) < times.get(i - 1)) {
                    back.add(track + " packet " + i + " at " + times.get(i) + " s after " + times.get(i - 1) + " s");
                }
            }
        });
        return back;
    }

    /** The longest time, in seconds, between two packets of a track that follow each other. */
    public double largestGap(String track) {
        List<Double> times = timestamps.getOrDefault(track, List.of());
        double gap = 0;
        for (int i = 1; i < times.size(); i++) {
            gap = Math.max(gap, times.get(i) - times.get(i - 1));
        }
        return gap;
    }

    @Override
    public String toString() {
        return file.getFileName() + ": " + codecs + ", " + duration + " s, packets " + timestamps.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue().size()).toList();
    }
}
