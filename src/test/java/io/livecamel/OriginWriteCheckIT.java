package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.FlakyUploads;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * At start-up the application writes one small object to check that the origin takes its uploads: an origin that
 * answers but refuses uploads (a bucket policy without s3:PutObject, say) is reported then, in one ERROR line that
 * names the object, and the application keeps running.
 */
class OriginWriteCheckIT extends StreamingTestSupport {

    private FlakyUploads refusing;
    private LogCapture log;

    @Override
    protected void settings(Properties properties) {
        useExternalOrigin(properties);
        log = LogCapture.open();
        startExternalOrigin(store -> refusing = new FlakyUploads(store, ".write-check", 10));
    }

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void anOriginThatRefusesUploadsIsReportedAtStartUp() throws Exception {
        Eventually.await("the origin check", Duration.ofSeconds(30),
                () -> !log.containing("Origin bucket live").isEmpty());
        List<String> reported = log.containing("Origin bucket live");
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith("ERROR Origin bucket live at http://127.0.0.1:" + s3Port
                + " is reachable but refused the upload of videos/.write-check ("), reported.get(0));
        assertTrue(!refusing.refused().isEmpty() && refusing.refused().stream()
                .allMatch("videos/.write-check"::equals), refusing.refused().toString());
        assertTrue(Files.notExists(work.resolve("data").resolve("live").resolve("videos").resolve(".write-check")));
        assertTrue(context.isStarted(), "the application keeps running");
    }
}
