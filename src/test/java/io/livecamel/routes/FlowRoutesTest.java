package io.livecamel.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.IngestComponent;
import io.livecamel.ingest.IngestEvent;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.cdn.CdnInvalidation;
import io.livecamel.origin.Origin;
import io.livecamel.origin.OriginHeaders;
import io.livecamel.origin.OriginMetrics;
import io.livecamel.origin.SessionRecovery;
import io.livecamel.settings.StreamingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow's branches, route by route, in seconds: the YAML routes as shipped, with what they call at their edges
 * (the other routes, S3, the webhook) replaced by mock endpoints, and the real {@link Origin} on a temporary folder.
 * The integration tests check the same flow end to end with real parts.
 */
class FlowRoutesTest {

    private static final String SESSION = "20261125-120000000-abcd";

    @TempDir
    Path media;
    private CamelContext context;
    private ProducerTemplate events;
    private Origin origin;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    /** The shipped routes with the given settings; {@code advice} replaces their edges before they start. */
    private void start(Map<String, String> settings, ThrowingConsumer<AdviceWithRouteBuilder, Exception> channelAdvice,
            Map<String, ThrowingConsumer<AdviceWithRouteBuilder, Exception>> routeAdvice) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("streaming.media-dir", media.toString());
        StreamingSettings streaming = StreamingSettings.read(name -> Optional.ofNullable(all.get(name)));
        Properties properties = new Properties();
        properties.putAll(settings);
        context = new DefaultCamelContext();
        context.getPropertiesComponent().setOverrideProperties(properties);
        IngestComponent ingest = new IngestComponent();
        StreamingConfiguration.routeDefaults(context, streaming, ingest);
        context.getRegistry().bind("ingest", new io.livecamel.ingest.IngestCalls(ingest));
        origin = new Origin(streaming, media, new OriginMetrics(new SimpleMeterRegistry()), null);
        origin.beans().forEach(context.getRegistry()::bind);
        context.getRegistry().bind("cdn", new CdnInvalidation(streaming));
        // no S3 here: a test of a recovered session replaces the call
        context.getRegistry().bind("sessionRecovery", new SessionRecovery(origin, null, streaming));
        context.getRegistry().bind("sessionEvent", new SessionEvent());
        context.getRegistry().bind("uploadFailure", (Processor) exchange -> { });
        var resources = PluginHelper.getResourceLoader(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(List.of(
                resources.resolveResource("file:routes-yaml/channel.camel.yaml"),
                resources.resolveResource("file:routes-yaml/origin.camel.yaml"),
                resources.resolveResource("file:routes-yaml/sessions.camel.yaml")));
        context.addRouteFromTemplate("live-main", ChannelRoutes.TEMPLATE,
                Map.of("channel", "main", "key", "test-key-0123456789"));
        AdviceWith.adviceWith(context, "live-main", advice -> {
            advice.replaceFromWith("direct:events");
            if (channelAdvice != null) {
                channelAdvice.accept(advice);
            }
        });
        // S3 is a mock endpoint in every test: what would be sent to it is checked there
        AdviceWith.adviceWith(context, "upload-segment",
                advice -> advice.weaveByToUri("aws2-s3*").replace().to("mock:s3-segment"));
        AdviceWith.adviceWith(context, "put-playlist",
                advice -> advice.weaveByToUri("aws2-s3*").replace().to("mock:s3-playlist"));
        AdviceWith.adviceWith(context, "record-session",
                advice -> advice.weaveByToUri("aws2-s3*").replace().to("mock:s3-recording"));
        AdviceWith.adviceWith(context, "hand-over",
                advice -> advice.weaveByToUri("aws2-s3*").replace().to("mock:s3-hand-over"));
        AdviceWith.adviceWith(context, "put-sofar",
                advice -> advice.weaveByToUri("aws2-s3*").replace().to("mock:s3-sofar"));
        for (Map.Entry<String, ThrowingConsumer<AdviceWithRouteBuilder, Exception>> entry : routeAdvice.entrySet()) {
            AdviceWith.adviceWith(context, entry.getKey(), entry.getValue());
        }
        context.start();
        events = context.createProducerTemplate();
    }

    private void event(String name) {
        events.sendBodyAndHeaders("direct:events", null, Map.of(StreamingHeaders.EVENT, name,
                StreamingHeaders.CHANNEL, "main", StreamingHeaders.SESSION, SESSION,
                StreamingHeaders.CONNECTION, 1));
    }

    private MockEndpoint mock(String uri) {
        return context.getEndpoint("mock:" + uri, MockEndpoint.class);
    }

    /** The channel route alone: every route and queue it hands events to is a mock. */
    private void startChannelRoute() throws Exception {
        start(Map.of(), advice -> advice.mockEndpointsAndSkip("direct:upload-pending", "direct:publish-playlist",
                "direct:stream-end", "seda:session-events*"), Map.of());
    }

    @Test
    void aFinishedSegmentGoesToTheUploadsOnly() throws Exception {
        startChannelRoute();
        mock("direct:upload-pending").expectedMessageCount(1);
        mock("direct:publish-playlist").expectedMessageCount(0);
        mock("seda:session-events").expectedMessageCount(0);
        event(IngestEvent.SegmentFinished.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aSessionLeftByAnEarlierRunIsTakenUpThenItsSegmentsAndPlaylistGoUp() throws Exception {
        start(Map.of(), advice -> {
            advice.weaveByToString("Bean\\[ref:sessionRecovery .*").replace().to("mock:recovery");
            advice.mockEndpointsAndSkip("direct:upload-pending", "direct:publish-playlist", "seda:session-events*");
        }, Map.of());
        mock("recovery").expectedHeaderReceived(StreamingHeaders.CONNECTION, 1);
        mock("direct:upload-pending").expectedMessageCount(1);
        mock("direct:publish-playlist").expectedMessageCount(1);
        mock("seda:session-events").expectedHeaderReceived(StreamingHeaders.EVENT,
                IngestEvent.SessionRecovered.name());
        event(IngestEvent.SessionRecovered.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aChangedPlaylistIsPublishedOnly() throws Exception {
        startChannelRoute();
        mock("direct:publish-playlist").expectedMessageCount(1);
        mock("direct:upload-pending").expectedMessageCount(0);
        mock("seda:session-events").expectedMessageCount(0);
        event(IngestEvent.PlaylistChanged.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aNewSessionIsAdmittedAtTheOriginAndReported() throws Exception {
        startChannelRoute();
        mock("seda:session-events").expectedHeaderReceived(StreamingHeaders.EVENT, IngestEvent.SessionStarted.name());
        mock("direct:upload-pending").expectedMessageCount(0);
        assertFalse(origin.sessions().view("main").live());
        event(IngestEvent.SessionStarted.name());
        MockEndpoint.assertIsSatisfied(context);
        assertTrue(origin.sessions().view("main").live(), "the origin now takes the session's segments");
    }

    @Test
    void aPublisherThatLeftHasWhatItWroteUploadedThenIsReported() throws Exception {
        startChannelRoute();
        event(IngestEvent.SessionStarted.name());
        MockEndpoint.resetMocks(context);
        mock("direct:upload-pending").expectedMessageCount(1);
        mock("direct:publish-playlist").expectedMessageCount(1);
        mock("seda:session-events").expectedHeaderReceived(StreamingHeaders.EVENT, IngestEvent.PublisherLeft.name());
        event(IngestEvent.PublisherLeft.name());
        MockEndpoint.assertIsSatisfied(context);
        assertFalse(origin.sessions().view("main").live(), "no publisher: not live, the session waits for it");
    }

    @Test
    void theEndOfASessionGoesToTheStreamEndWhichReportsItOnceClosed() throws Exception {
        startChannelRoute();
        mock("direct:stream-end").expectedMessageCount(1);
        mock("seda:session-events").expectedMessageCount(0);
        event(IngestEvent.SessionEnded.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aSegmentIsUploadedWithItsHeadersThenThePlaylistListingIt() throws Exception {
        start(Map.of(), null, Map.of());
        Path folder = Files.createDirectories(media.resolve("main"));
        Files.writeString(folder.resolve(SESSION + "-1-00000.ts"), "segment 0");
        Files.writeString(folder.resolve(SESSION + ".m3u8"), "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.000000,\n" + SESSION + "-1-00000.ts\n");
        MockEndpoint segments = mock("s3-segment");
        segments.expectedMessageCount(1);
        segments.expectedHeaderReceived("CamelAwsS3Key", "videos/main/" + SESSION + "-1-00000.ts");
        segments.expectedHeaderReceived("CamelAwsS3ContentType", "video/mp2t");
        segments.expectedHeaderReceived("CamelAwsS3ContentControl", "public, max-age=31536000, immutable");
        MockEndpoint playlists = mock("s3-playlist");
        playlists.expectedMessageCount(1);
        playlists.expectedHeaderReceived("CamelAwsS3Key", "videos/main/index.m3u8");
        playlists.expectedHeaderReceived("CamelAwsS3ContentType", "application/vnd.apple.mpegurl");

        event(IngestEvent.SessionStarted.name());
        event(IngestEvent.SegmentFinished.name());
        MockEndpoint.assertIsSatisfied(context);
        assertTrue(playlists.getExchanges().get(0).getMessage().getBody(String.class)
                .contains(SESSION + "-1-00000.ts"));

        // told again: nothing is uploaded twice
        event(IngestEvent.SegmentFinished.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aSegmentOfASessionThatWasNotAdmittedNeverGoesUp() throws Exception {
        start(Map.of(), null, Map.of());
        Path folder = Files.createDirectories(media.resolve("main"));
        Files.writeString(folder.resolve(SESSION + "-1-00000.ts"), "segment of a refused publisher");
        mock("s3-segment").expectedMessageCount(0);
        mock("s3-playlist").expectedMessageCount(0);
        event(IngestEvent.SegmentFinished.name());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anEndedSessionIsRecordedUnlessRecordingIsOff() throws Exception {
        for (boolean recording : List.of(true, false)) {
            start(recording ? Map.of() : Map.of("streaming.recording", "false"), null,
                    Map.of("stream-end", advice -> advice.mockEndpointsAndSkip("seda:*")));
            Path folder = Files.createDirectories(media.resolve("main"));
            Files.writeString(folder.resolve(SESSION + "-1-00000.ts"), "segment 0");
            Files.writeString(folder.resolve(SESSION + ".m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n"
                    + "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.000000,\n" + SESSION + "-1-00000.ts\n");
            // what the ingest writes down as ffmpeg lists segments
            Files.writeString(folder.resolve(SESSION + ".vod"), "#EXTINF:1.000000,\n" + SESSION + "-1-00000.ts\n");
            event(IngestEvent.SessionStarted.name());
            event(IngestEvent.SegmentFinished.name());
            MockEndpoint.resetMocks(context);
            if (recording) {
                mock("s3-recording").expectedHeaderReceived("CamelAwsS3Key", "videos/main/" + SESSION
                        + "/index.m3u8");
                mock("seda:session-events").expectedHeaderReceived(OriginHeaders.RECORDING,
                        "http://127.0.0.1:9000/live/videos/main/" + SESSION + "/index.m3u8");
            } else {
                mock("seda:session-events").expectedMessageCount(1);
                mock("s3-recording").expectedMessageCount(0);
            }
            event(IngestEvent.SessionEnded.name());
            MockEndpoint.assertIsSatisfied(context);
            if (recording) {
                String vod = mock("s3-recording").getExchanges().get(0).getMessage().getBody(String.class);
                assertTrue(vod.contains("#EXT-X-PLAYLIST-TYPE:VOD") && vod.contains("../" + SESSION + "-1-00000.ts")
                        && vod.endsWith("#EXT-X-ENDLIST\n"), vod);
            } else {
                assertFalse(mock("seda:session-events").getExchanges().get(0).getMessage()
                        .getHeaders().containsKey(OriginHeaders.RECORDING));
            }
            context.stop();
            org.apache.camel.util.FileUtil.removeDir(folder.toFile());
        }
    }

    @Test
    void aSessionsEndWaitsForTheRecordingRouteToRun() throws Exception {
        // the recording route starts only once the origin answers (its S3 endpoint checks the bucket): a session
        // that ends before must wait for it, not go unrecorded
        start(Map.of(), null, Map.of("stream-end", advice -> advice.mockEndpointsAndSkip("seda:*")));
        Path folder = Files.createDirectories(media.resolve("main"));
        Files.writeString(folder.resolve(SESSION + "-1-00000.ts"), "segment 0");
        Files.writeString(folder.resolve(SESSION + ".m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.000000,\n" + SESSION + "-1-00000.ts\n");
        Files.writeString(folder.resolve(SESSION + ".vod"), "#EXTINF:1.000000,\n" + SESSION + "-1-00000.ts\n");
        event(IngestEvent.SessionStarted.name());
        event(IngestEvent.SegmentFinished.name());
        context.getRouteController().stopRoute("record-session");
        MockEndpoint.resetMocks(context);
        Map<String, Object> ended = Map.of(StreamingHeaders.EVENT, IngestEvent.SessionEnded.name(),
                StreamingHeaders.CHANNEL, "main", StreamingHeaders.SESSION, SESSION, StreamingHeaders.CONNECTION, 1);
        context.createFluentProducerTemplate().to("direct:events").withHeaders(ended).asyncSend();
        io.livecamel.testing.Eventually.await("the session's end waiting for the recording route",
                java.time.Duration.ofSeconds(10), () -> context.getInflightRepository().size("stream-end") > 0);
        assertEquals(0, mock("s3-recording").getReceivedCounter());

        mock("s3-recording").expectedMessageCount(1);
        mock("seda:session-events").expectedHeaderReceived(OriginHeaders.RECORDING,
                "http://127.0.0.1:9000/live/videos/main/" + SESSION + "/index.m3u8");
        context.getRouteController().startRoute("record-session");
        MockEndpoint.assertIsSatisfied(context, 20, TimeUnit.SECONDS);
    }

    @Test
    void theCdnIsToldOnlyWhenADistributionIsSet() throws Exception {
        for (boolean withDistribution : List.of(false, true)) {
            start(withDistribution ? Map.of("streaming.cloudfront.distribution-id", "E123EXAMPLE",
                    "streaming.cloudfront.invalidation-interval", "1") : Map.of(), null,
                    withDistribution ? Map.of("stream-end", advice -> advice.mockEndpointsAndSkip("seda:*"),
                            "cdn-invalidation", advice -> advice.weaveByType(BeanDefinition.class).replace()
                                    .to("mock:cdn"))
                            : Map.of("stream-end", advice -> advice.mockEndpointsAndSkip("seda:*")));
            assertEquals(withDistribution, context.getRoute("invalidate-cdn") != null,
                    "the CDN route is there only with a distribution");
            event(IngestEvent.SessionStarted.name());
            MockEndpoint.resetMocks(context);
            mock("cdn").expectedMessageCount(withDistribution ? 1 : 0);

            mock("seda:session-events").expectedHeaderReceived(StreamingHeaders.EVENT,
                    IngestEvent.SessionEnded.name());
            NotifyBuilder ended = new NotifyBuilder(context).fromRoute("live-main").whenCompleted(1).create();
            event(IngestEvent.SessionEnded.name());
            assertTrue(ended.matches(10, TimeUnit.SECONDS), "the session's end went through");
            MockEndpoint.assertIsSatisfied(context);
            assertTrue(mock("seda:session-events").getExchanges().get(0).getMessage()
                    .getHeader(OriginHeaders.SUMMARY) != null, "the end is reported with what went up");
            if (withDistribution) {
                assertEquals(List.of("main"), mock("cdn").getExchanges().get(0).getMessage().getBody(List.class),
                        "the channels of the interval");
            }
            context.stop();
        }
    }

    @Test
    void sessionEventsArePostedOnlyWhenAWebhookIsSetAndCarryNoHeaders() throws Exception {
        for (boolean withWebhook : List.of(false, true)) {
            start(withWebhook ? Map.of("streaming.webhook.url", "http://127.0.0.1:9/hook?token=secret") : Map.of(),
                    null, withWebhook ? Map.of("webhook",
                            advice -> advice.weaveByType(ToDynamicDefinition.class).replace().to("mock:webhook"))
                            : Map.of());
            assertEquals(withWebhook, context.getRoute("webhook") != null,
                    "the webhook route is there only with a URL");
            MockEndpoint webhook = mock("webhook");
            webhook.expectedMessageCount(withWebhook ? 1 : 0);
            NotifyBuilder logged = new NotifyBuilder(context).fromRoute("session-events").whenCompleted(1).create();
            events.sendBodyAndHeaders("seda:session-events", null, Map.of(StreamingHeaders.EVENT,
                    IngestEvent.SessionStarted.name(), StreamingHeaders.CHANNEL, "main", StreamingHeaders.SESSION,
                    SESSION, StreamingHeaders.REMOTE_ADDRESS, "192.0.2.7:38824"));
            assertTrue(logged.matches(10, TimeUnit.SECONDS), "the event went through its route");
            MockEndpoint.assertIsSatisfied(context);
            if (withWebhook) {
                var posted = webhook.getExchanges().get(0).getMessage();
                assertEquals("POST", posted.getHeader("CamelHttpMethod"));
                String json = posted.getBody(String.class);
                assertTrue(json.contains("\"event\":\"SessionStarted\"") && json.contains("192.0.2.7:38824"), json);
                assertFalse(posted.getHeaders().containsKey(StreamingHeaders.SESSION),
                        "the message's own headers are not sent along");
            }
            context.stop();
        }
    }
}
