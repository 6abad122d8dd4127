package io.livecamel.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Decodes a whole HLS stream from the origin, as a player would play it from start to end. */
public final class StreamDecoder {

    private static final Path DEBIAN_FFMPEG = Path.of("/usr/bin/ffmpeg");

    private StreamDecoder() {
    }

    /**
     * What an ffmpeg reports as errors when it decodes the whole stream from the origin, with its exit code.
     * Debian's ffmpeg (installed by .ci/run): the bundled static 4.4.1 crashes (SIGSEGV) on any MPEG-TS input on
     * some CPUs, which once made this check pass without decoding anything. Without it the check is skipped, saying so.
     */
    public static String errors(URI playlist) throws Exception {
        Path debian = DEBIAN_FFMPEG;
        if (!Files.isExecutable(debian)) {
            System.out.println("The decode check is skipped: " + debian + " is missing (apt-get install "
                    + "ffmpeg; .ci/run does)");
            return "";
        }
        // repeat: every message in full (ffmpeg otherwise folds repeats into "Last message repeated n times", which
        // the filter below cannot tell from what it repeats)
        Process decode = new ProcessBuilder(debian.toString(), "-nostdin", "-v", "repeat+error", "-i",
                playlist.toString(), "-f", "null", "-").redirectErrorStream(true).start();
        // at an #EXT-X-DISCONTINUITY the timestamps start again (that is what it announces, and players reset on
        // it); ffmpeg decodes straight on, so its null output complains when they go back: not a decoding error
        String errors = new String(decode.getInputStream().readAllBytes()).lines()
                .filter(line -> !line.contains("non monotonically increasing dts to muxer"))
                .collect(Collectors.joining("\n")).trim();
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS));
        return decode.exitValue() == 0 ? errors : "exit code " + decode.exitValue() + ": " + errors;
    }
}
