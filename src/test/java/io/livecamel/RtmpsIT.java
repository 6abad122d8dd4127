package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * RTMPS: the same server inside TLS, on its own port, with a certificate and key (PEM) this test makes with
 * openssl. The bundled ffmpeg publishes to rtmps://; plain RTMP keeps working beside it, and a TLS client on the
 * plain port is turned away.
 */
class RtmpsIT extends StreamingTestSupport {

    private final int rtmpsPort = FreePort.find();

    @Override
    protected void settings(Properties properties) {
        Path tls = work.resolve("tls");
        try {
            Files.createDirectories(tls);
            boolean openssl = Files.isExecutable(Path.of("/usr/bin/openssl"));
            if (!openssl) {
                System.out.println("RtmpsIT skipped: /usr/bin/openssl is missing (apt-get install openssl)");
            }
            assumeTrue(openssl, "openssl is missing");
            Process make = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", tls.resolve("key.pem").toString(), "-out", tls.resolve("cert.pem").toString(),
                    "-days", "1", "-subj", "/CN=127.0.0.1").redirectErrorStream(true).start();
            String output = new String(make.getInputStream().readAllBytes());
            assertTrue(make.waitFor(60, TimeUnit.SECONDS) && make.exitValue() == 0, output);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        properties.setProperty("streaming.rtmps.port", Integer.toString(rtmpsPort));
        properties.setProperty("streaming.rtmps.certificate", tls.resolve("cert.pem").toString());
        properties.setProperty("streaming.rtmps.private-key", tls.resolve("key.pem").toString());
    }

    @Test
    void aPublisherGoesLiveOverTlsAndPlainRtmpStillWorks() throws Exception {
        Listeners.awaitListening(rtmpsPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             Publisher publisher = Publisher.startTo("rtmps://127.0.0.1:" + rtmpsPort + "/live/" + KEY, 4,
                     work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the RTMPS session did not end");
            assertEquals(1, log.containing("Channel main: live, session").size(), log.lines().toString());
            assertEquals(List.of(), log.containing(KEY));
        }
        String text = get(playlist("main")).body();
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        assertTrue(OriginPoller.segments(text).size() >= 3, text);

        // a TLS client on the plain port gets a clear refusal, and plain RTMP works
        try (LogCapture log = LogCapture.open();
             Publisher wrongPort = Publisher.startTo("rtmps://127.0.0.1:" + rtmpPort + "/live/" + KEY, 2,
                     work.resolve("logs"))) {
            assertNotEquals(0, wrongPort.await(Duration.ofSeconds(20)));
            assertEquals(1, log.containing("not an RTMP handshake (first byte 0x16)").size(), log.lines().toString());
        }
        NotifyBuilder plainEnded = sessionEnded("main");
        try (Publisher plain = Publisher.start(rtmpPort, KEY, 2, work.resolve("logs"))) {
            assertEquals(0, plain.await(Duration.ofSeconds(20)), plain.log());
        }
        assertTrue(plainEnded.matches(20, TimeUnit.SECONDS));
        assertFalse(Files.list(channelFolder("main")).findAny().isPresent());
    }
}
