package io.livecamel.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.livecamel.ingest.IngestComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ingest's {@code streaming.*} settings go to the {@code hls-ingest} component, bound by Camel and checked by the
 * component; a bad one stops start-up with the setting's name and value, as every other setting does.
 */
class IngestSettingsTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private IngestComponent component(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        Function<String, Optional<String>> properties = name -> Optional.ofNullable(values.get(name));
        return IngestSettings.component(context, properties, StreamingSettings.read(properties, values.keySet()));
    }

    @Test
    void theDefaultsAreTheComponentsOwn() {
        IngestComponent ingest = component();
        assertEquals(1935, ingest.getRtmpPort());
        assertEquals(0, ingest.getRtmpsPort());
        assertEquals("./media", ingest.getMediaDir());
        assertEquals(1.0, ingest.getHlsTime());
        assertEquals(100, ingest.getHlsListSize());
        assertEquals(15.0, ingest.getReconnectGrace());
        assertEquals(256, ingest.getMinFreeMb());
        assertEquals(1800, ingest.getMaxBacklog());
    }

    @Test
    void everySettingReachesItsOption() {
        IngestComponent ingest = component("streaming.rtmp.port", "2000", "streaming.media-dir", "/tmp/m",
                "streaming.hls.time", "2.5", "streaming.hls.list-size", "6", "streaming.reconnect-grace", "0.5",
                "streaming.disk.min-free-mb", "10", "streaming.upload.max-backlog", "7");
        assertEquals(2000, ingest.getRtmpPort());
        assertEquals("/tmp/m", ingest.getMediaDir());
        assertEquals(2.5, ingest.getHlsTime());
        assertEquals(6, ingest.getHlsListSize());
        assertEquals(0.5, ingest.getReconnectGrace());
        assertEquals(10, ingest.getMinFreeMb());
        assertEquals(7, ingest.getMaxBacklog());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "streaming.rtmp.port          | abc        | a port is a number from 1 to 65535",
        "streaming.rtmp.port          | 0          | a port is a number from 1 to 65535",
        "streaming.rtmp.port          | 70000      | a port is a number from 1 to 65535",
        "streaming.hls.time           | 0          | must be between 0.1 and 30.0",
        "streaming.hls.time           | fast       | not a number",
        "streaming.hls.time           | NaN        | must be between 0.1 and 30.0",
        "streaming.hls.list-size      | 0          | must be between 1 and 100000",
        "streaming.hls.list-size      | 1.5        | not a whole number",
        "streaming.reconnect-grace    | 3601       | must be between 0.0 and 3600.0",
        "streaming.disk.min-free-mb   | -1         | must be between 0 and 1000000",
        "streaming.upload.max-backlog | 0          | must be between 1 and 1000000",
        "streaming.media-dir          | '  '       | must not be empty",
        "streaming.ffmpeg.path        | /no/ffmpeg | cannot run it",
        "streaming.rtmps.port         | 1936       | RTMPS also needs streaming.rtmps.certificate and streaming.rtmps.private-key",
    })
    void badValuesNameTheSettingAndTheValue(String property, String value, String problem) {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> component(property, value));
        assertTrue(error.getMessage().startsWith("Invalid setting " + property + "='" + value + "': "),
                error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    @Test
    void theRtmpPortsAreNotTheApplicationsOtherPorts() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
                () -> component("streaming.rtmp.port", "9000"));
        assertEquals("Port 9000 is set for both the RTMP server (streaming.rtmp.port) and the embedded S3 server "
                + "(streaming.s3.embedded-port)", error.getMessage());
        InvalidSettingException rtmps = assertThrows(InvalidSettingException.class, () -> component(
                "streaming.rtmps.port", "1935", "streaming.rtmps.certificate", "c.pem",
                "streaming.rtmps.private-key", "k.pem"));
        assertEquals("Port 1935 is set for both the RTMP server (streaming.rtmp.port) and the RTMPS server "
                + "(streaming.rtmps.port)", rtmps.getMessage());
    }

    @Test
    void everyOptionOfTheComponentHasASetting() throws Exception {
        // the component's own options as Camel sees them (its generated configurer), but Camel's and the two the
        // application sets in code (the admission route's endpoint and the factory of channels made on demand)
        var options = new java.util.TreeSet<String>();
        try (var json = IngestComponent.class.getResourceAsStream("/META-INF/io/livecamel/ingest/hls-ingest.json")) {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("componentProperties").fieldNames()
                    .forEachRemaining(options::add);
        }
        options.removeAll(java.util.List.of("autowiredEnabled", "bridgeErrorHandler", "lazyStartProducer",
                "admission", "channelRouteFactory", "channelOwnership", "sessionOrigin"));
        assertEquals(options, new java.util.TreeSet<>(IngestSettings.OPTIONS.values()));
        IngestSettings.OPTIONS.values().forEach(option -> assertEquals(option,
                IngestSettings.OPTIONS.get(IngestSettings.nameOf(option))));
    }
}
