package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The application as a user runs it: its own JVM, the start-up banner, a bad setting, Ctrl-C during a stream. */
class ApplicationProcessIT {

    private static final Path WORK = Path.of("target", "it", "ApplicationProcessIT").toAbsolutePath();

    private static Map<String, String> freeSettings(String name) {
        Path work = WORK.resolve(name);
        FileUtil.removeDir(work.toFile());
        Map<String, String> settings = new HashMap<>();
        settings.put("camel.main.routes-reload-enabled", "false");
        settings.put("streaming.rtmp.port", Integer.toString(FreePort.find()));
        settings.put("streaming.s3.embedded-port", Integer.toString(FreePort.find()));
        settings.put("streaming.http.port", Integer.toString(FreePort.find()));
        settings.put("streaming.s3.embedded-dir", work.resolve("data").toString());
        settings.put("streaming.media-dir", work.resolve("media").toString());
        return settings;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "streaming.rtmp.port     | abc          | Invalid setting streaming.rtmp.port='abc': a port is a number from 1 to 65535",
        "streaming.rtmp.port     | 70000        | Invalid setting streaming.rtmp.port='70000': a port is a number from 1 to 65535",
        "streaming.hls.time      | 0            | Invalid setting streaming.hls.time='0': must be between 0.1 and 30.0",
        "streaming.s3.bucket     | Bad_Bucket   | Invalid setting streaming.s3.bucket='Bad_Bucket': an S3 bucket name is 3 to 63 characters",
        "streaming.ffmpeg.path   | /no/ffmpeg   | Invalid setting streaming.ffmpeg.path='/no/ffmpeg': cannot run it",
        "streaming.s3.embedded   | false        | streaming.channels.main.key is not set",
        "streaming.channels.main.srt-port | 9998 | streaming.channels.main.srt-port needs an ffmpeg with a working SRT listener",
        "streaming.channels.a@b.key       | k-0123456789abcdef | Invalid channel name 'a@b' (in streaming.channels.a@b.*)",
        "streaming.rtmps.port             | 1937 | Invalid setting streaming.rtmps.port='1937': RTMPS also needs streaming.rtmps.certificate and streaming.rtmps.private-key (PEM files)",
        "streaming.channels.main.port     | 1936 | streaming.channels.main.port is no longer used: every channel publishes on streaming.rtmp.port",
    })
    void aBadSettingStopsStartUpWithOneMessageNamingIt(String property, String value, String message)
            throws Exception {
        Map<String, String> settings = freeSettings("bad-setting");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        settings.put(property, value);
        try (ApplicationProcess app = ApplicationProcess.start(settings, WORK.resolve("logs"))) {
            assertEquals(1, app.awaitExit(Duration.ofSeconds(60)), app.output());
            String output = app.output();
            assertTrue(output.contains("ERROR: the publisher cannot start. " + message), output);
            assertEquals(1, output.split(Pattern.quote(message), -1).length - 1, "said once:\n" + output);
            assertFalse(output.contains("=== Live streaming publisher is running ==="), output);
            assertFalse(Listeners.isListening(rtmpPort), "no listener was left behind");
        }
    }

    @Test
    void aChannelDeclaredInTheEnvironmentTakesItsPublisherOnTheSharedPort() throws Exception {
        Map<String, String> settings = freeSettings("environment");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        String key = "env-declared-key-0123456789";
        Map<String, String> environment = Map.of("STREAMING_CHANNELS_MY_STUDIO_KEY", key);
        try (ApplicationProcess app = ApplicationProcess.start(settings, environment, WORK.resolve("logs"))) {
            app.awaitLine("Channel my-studio:", Duration.ofSeconds(60));
            app.awaitLine("rtmp://localhost:" + rtmpPort + "/live", Duration.ofSeconds(5));
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
            try (Publisher publisher = Publisher.start(rtmpPort, key, 3, WORK.resolve("logs"))) {
                app.awaitLine("Channel my-studio: live, session", Duration.ofSeconds(20));
                assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
            }
            assertFalse(app.output().contains(key), "a configured key is never printed");
        }
    }

    @Test
    void aUserGoesLiveWithThePrintedUrlAndCtrlCClosesTheStreamProperly() throws Exception {
        Map<String, String> settings = freeSettings("ctrl-c");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        try (ApplicationProcess app = ApplicationProcess.start(settings, WORK.resolve("logs"))) {
            String publishLine = app.awaitLine("Publish URL:", Duration.ofSeconds(60));
            Matcher url = Pattern.compile("rtmp://localhost:(\\d+)/live/(\\S+)").matcher(publishLine);
            assertTrue(url.find(), publishLine);
            assertEquals(rtmpPort, Integer.parseInt(url.group(1)));
            String key = url.group(2);
            app.awaitLine("Watch:", Duration.ofSeconds(5));
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));

            try (Publisher publisher = Publisher.start(rtmpPort, key, 60, WORK.resolve("logs"))) {
                app.awaitLine("Channel main: live, session", Duration.ofSeconds(20));
                Path folder = Path.of(settings.get("streaming.media-dir"), "main");
                Eventually.await("three segments", Duration.ofSeconds(20), () -> segmentsIn(folder) >= 3);
                List<ProcessHandle> children = app.process().descendants().toList();
                assertFalse(children.isEmpty(), "ffmpeg runs as a child of the application");

                app.process().destroy(); // SIGTERM, as Ctrl-C or a service manager sends
                int exit = app.awaitExit(Duration.ofSeconds(40));
                // a JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks (Camel's) have run
                assertTrue(exit == 0 || exit == 143, "exit code " + exit + ":\n" + app.output());
                // logged by Camel's shutdown hook once the context has stopped; the main thread's own
                // "shutdown" line races the JVM's exit after the hooks, so it is not always printed
                assertTrue(Pattern.compile("Apache Camel \\(Main\\) \\S+ is shutdown").matcher(app.output()).find(),
                        app.output());
                for (ProcessHandle child : children) {
                    assertFalse(child.isAlive(), "ffmpeg " + child.pid() + " outlived the application");
                }
            }
            // the embedded origin stopped with the application; its store is a folder
            Path stored = Path.of(settings.get("streaming.s3.embedded-dir"), "live", "videos", "main");
            String playlist = Files.readString(stored.resolve("index.m3u8"));
            assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), "the final playlist was published:\n" + playlist);
            for (String segment : OriginPoller.segments(playlist)) {
                assertTrue(Files.isRegularFile(stored.resolve(segment)), segment);
            }
            assertTrue(OriginPoller.segments(playlist).size() >= 3, playlist);

            String output = app.output();
            assertEquals(2, output.split(Pattern.quote(key), -1).length - 1,
                    "the generated key is printed in the banner (key and URL) and nowhere else:\n" + output);
        }
    }

    @Test
    void noFfmpegOutlivesAKilledApplication() throws Exception {
        Map<String, String> settings = freeSettings("sigkill");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        settings.put("streaming.channels.main.key", "sigkill-key-0123456789");
        try (ApplicationProcess app = ApplicationProcess.start(settings, WORK.resolve("logs"))) {
            app.awaitLine("Watch:", Duration.ofSeconds(60));
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
            try (Publisher publisher = Publisher.start(rtmpPort, "sigkill-key-0123456789", 60, WORK.resolve("logs"))) {
                app.awaitLine("Channel main: live, session", Duration.ofSeconds(20));
                Path folder = Path.of(settings.get("streaming.media-dir"), "main");
                Eventually.await("two segments", Duration.ofSeconds(20), () -> segmentsIn(folder) >= 2);
                List<ProcessHandle> children = app.process().descendants().toList();
                assertFalse(children.isEmpty(), "ffmpeg runs as a child of the application");

                app.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
                app.awaitExit(Duration.ofSeconds(10));
                Eventually.await("every ffmpeg of the application to end", Duration.ofSeconds(5),
                        () -> children.stream().noneMatch(ProcessHandle::isAlive));
                assertFalse(Listeners.isListening(rtmpPort), "nothing holds the RTMP port");
            }
        }
    }

    private static long segmentsIn(Path folder) {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".ts")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
