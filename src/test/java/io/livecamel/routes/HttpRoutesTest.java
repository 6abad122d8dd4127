package io.livecamel.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.livecamel.origin.EmbeddedOrigin;
import io.livecamel.origin.Origin;
import io.livecamel.origin.OriginMetrics;
import io.livecamel.origin.S3Clients;
import io.livecamel.settings.StreamingSettings;
import io.livecamel.testing.FreePort;
import io.livecamel.web.ChannelsApi;
import io.livecamel.web.MediaFiles;
import io.livecamel.web.ViewerPages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The HTTP side's routes ({@code routes-yaml/http.camel.yaml}) as shipped, with the real beans, each request sent to
 * a route whose platform-http input is replaced by a direct one: what each answers, its status and headers, and
 * that nothing is served for a channel that is not configured or a file that is not a channel's HLS. HttpIT checks
 * the same over a real HTTP server.
 */
class HttpRoutesTest {

    private static final List<String> ROUTES = List.of("http-index", "http-watch", "http-hls-js",
            "http-api-channels", "http-api-recordings", "http-media");

    @TempDir
    static Path store;
    private static EmbeddedOrigin s3Server;
    private static int s3Port;
    private static S3Client s3;
    @TempDir
    Path media;
    private CamelContext context;
    private ProducerTemplate requests;
    private StreamingSettings settings;

    /** A real S3-compatible server: what a channel has at the origin decides whether it exists for viewers. */
    @BeforeAll
    static void startOrigin() throws Exception {
        s3Port = FreePort.find();
        s3Server = new EmbeddedOrigin(s3Port, store, "live");
        s3Server.start();
        s3 = S3Clients.forEmbedded(StreamingSettings.read(name -> name.equals("streaming.s3.embedded-port")
                ? Optional.of(Integer.toString(s3Port)) : Optional.empty()), s3Server);
    }

    @AfterAll
    static void stopOrigin() {
        s3.close();
        s3Server.stop();
    }

    @BeforeEach
    void start() throws Exception {
        settings = StreamingSettings.read(name -> name.equals("streaming.s3.embedded-port")
                ? Optional.of(Integer.toString(s3Port)) : Optional.empty());
        Origin origin = new Origin(settings, media, new OriginMetrics(new SimpleMeterRegistry()), s3);
        context = new DefaultCamelContext();
        context.getRegistry().bind("viewerPages", new ViewerPages(settings, origin.recordings()));
        context.getRegistry().bind("channelsApi", new ChannelsApi(settings, origin, new io.livecamel.ingest.IngestComponent()));
        context.getRegistry().bind("recordings", origin.recordings());
        context.getRegistry().bind("mediaFiles", new MediaFiles(settings, media));
        var resources = PluginHelper.getResourceLoader(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(List.of(
                resources.resolveResource("file:routes-yaml/http.camel.yaml")));
        for (String route : ROUTES) {
            AdviceWith.adviceWith(context, route, advice -> advice.replaceFromWith("direct:" + route));
        }
        context.start();
        requests = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange get(String route, Map<String, Object> headers) {
        return requests.request("direct:" + route, exchange -> exchange.getMessage().setHeaders(new HashMap<>(headers)));
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    private static void assertNotFound(Exchange exchange) {
        assertNull(exchange.getException());
        assertEquals(404, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("text/plain", header(exchange, "Content-Type"));
        assertEquals("Not found", exchange.getMessage().getBody(String.class));
    }

    @Test
    void theIndexListsTheChannelsPage() {
        Exchange index = get("http-index", Map.of());
        assertEquals("text/html; charset=utf-8", header(index, "Content-Type"));
        assertTrue(index.getMessage().getBody(String.class).contains("<html"), "an HTML page");
    }

    @Test
    void aConfiguredChannelsPlayerLoadsItsPlaylistAndAnyOtherChannelIsNotFound() {
        Exchange watch = get("http-watch", Map.of("channel", "main"));
        String page = watch.getMessage().getBody(String.class);
        assertEquals("text/html; charset=utf-8", header(watch, "Content-Type"));
        assertTrue(page.contains(settings.publicPlaylistUrl("main")), page);
        assertFalse(page.contains("{{"), "every placeholder of the page is filled");
        assertNotFound(get("http-watch", Map.of("channel", "nobody")));
    }

    @Test
    void hlsJsIsServedAndCachedForADay() {
        Exchange script = get("http-hls-js", Map.of());
        assertEquals("application/javascript", header(script, "Content-Type"));
        assertEquals("public, max-age=86400", header(script, "Cache-Control"));
        assertTrue(script.getMessage().getBody(byte[].class).length > 100_000, "hls.min.js");
    }

    @Test
    void theChannelsApiIsJsonNeverCachedAndNeverHoldsAKey() {
        Exchange api = get("http-api-channels", Map.of());
        String json = api.getMessage().getBody(String.class);
        assertEquals("application/json", header(api, "Content-Type"));
        assertEquals("no-store", header(api, "Cache-Control"));
        assertTrue(json.startsWith("[{\"name\":\"main\",\"live\":false"), json);
        assertFalse(json.contains(settings.channels().get(0).key()), "the stream key is in the API");
    }

    @Test
    void theRecordingsOfAChannelThatIsNotConfiguredAreNotFound() {
        assertNotFound(get("http-api-recordings", Map.of("channel", "nobody")));
        assertNotFound(get("http-api-recordings", Map.of("channel", "../main")));
    }

    @Test
    void aChannelMadeOnDemandBeforeARestartHasItsPlayerAndItsRecordings() {
        // nothing configured nor seen: only its objects at the origin (an earlier run's channel made on demand)
        String session = "20261205-101010123-ab12";
        s3.putObject(request -> request.bucket("live").key("videos/alice/" + session + "/index.m3u8"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("#EXTM3U\n"));
        Exchange watch = get("http-watch", Map.of("channel", "alice"));
        assertTrue(watch.getMessage().getBody(String.class).contains(settings.publicPlaylistUrl("alice")));
        Exchange recordings = get("http-api-recordings", Map.of("channel", "alice"));
        String json = recordings.getMessage().getBody(String.class);
        assertTrue(json.contains("\"session\":\"" + session + "\"") && json.contains(settings.publicUrl(
                "videos/alice/" + session + "/index.m3u8")), json);
    }

    @Test
    void aChannelsLocalHlsFilesAreServedReadOnlyAndNothingElse() throws Exception {
        Path folder = Files.createDirectories(media.resolve("main"));
        Files.writeString(folder.resolve("index.m3u8"), "#EXTM3U\n");
        Files.write(folder.resolve("s-1-00001.ts"), new byte[188]);
        Files.writeString(media.resolve("secret.txt"), "not for viewers", StandardCharsets.UTF_8);

        Exchange playlist = get("http-media", Map.of("channel", "main", "file", "index.m3u8"));
        assertEquals(folder.resolve("index.m3u8").toRealPath().toFile(), playlist.getMessage().getBody(File.class));
        assertEquals("application/vnd.apple.mpegurl", header(playlist, "Content-Type"));
        assertEquals("no-cache", header(playlist, "Cache-Control"));
        assertEquals("*", header(playlist, "Access-Control-Allow-Origin"));
        assertEquals("video/mp2t", header(get("http-media", Map.of("channel", "main", "file", "s-1-00001.ts")),
                "Content-Type"));

        assertNotFound(get("http-media", Map.of("channel", "main", "file", "../secret.txt")));
        assertNotFound(get("http-media", Map.of("channel", "main", "file", "missing.ts")));
        assertNotFound(get("http-media", Map.of("channel", "nobody", "file", "index.m3u8")));
        Files.createSymbolicLink(folder.resolve("link.ts"), media.resolve("secret.txt"));
        assertNotFound(get("http-media", Map.of("channel", "main", "file", "link.ts")));
    }
}
