package io.livecamel.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.livecamel.ingest.Ffmpeg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's keyframe stamps survive ffmpeg's -c copy into HLS and tell each segment's first keyframe. */
class SourceStreamTest {

    @Test
    void eachSegmentCutByFfmpegTellsTheKeyframeItStartsWith(@TempDir Path work) throws Exception {
        SourceStream source = SourceStream.of(3);
        List<Integer> keyframes = source.keyframes();
        assertEquals(3, keyframes.size(), "a keyframe a second: " + keyframes);
        assertEquals(List.of(1000, 1000), List.of(keyframes.get(1) - keyframes.get(0), keyframes.get(2) - keyframes.get(1)));
        Path flv = work.resolve("stamped.flv");
        Files.write(flv, SourceStream.flv(source.tags()));
        Process ffmpeg = new ProcessBuilder(Ffmpeg.locate(Optional.empty()).command(List.of("-i", flv.toString(),
                "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                "-hls_segment_filename", work.resolve("s%d.ts").toString(), work.resolve("index.m3u8").toString())))
                .redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0, output);
        List<Integer> stamps = new ArrayList<>();
        try (Stream<Path> segments = Files.list(work).filter(file -> file.toString().endsWith(".ts")).sorted()) {
            for (Path segment : segments.toList()) {
                stamps.add(SourceStream.stampOf(Files.readAllBytes(segment)));
            }
        }
        assertEquals(keyframes, stamps);
        assertEquals(-1, SourceStream.stampOf(new byte[188 * 4]), "a segment without a stamp");
    }
}
