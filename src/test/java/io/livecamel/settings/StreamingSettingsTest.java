package io.livecamel.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.livecamel.ingest.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingSettingsTest {

    private static StreamingSettings read(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return StreamingSettings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void defaultsRunEmbeddedWithTheSeedsValues() {
        StreamingSettings settings = read();
        assertTrue(settings.s3Embedded());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), settings.s3Endpoint());
        assertEquals("live", settings.s3Bucket());
        assertEquals("videos/main/index.m3u8", settings.playlistKey("main"));
        assertEquals("http://127.0.0.1:9000/live/videos/main/index.m3u8", settings.publicPlaylistUrl("main"));
    }

    @Test
    void generatesADemoKeyOnlyInEmbeddedMode() {
        Channel main = read().channels().get(0);
        assertTrue(main.generatedKey());
        assertTrue(main.key().length() >= 20);
        assertFalse(main.key().equals(read().channels().get(0).key()), "a new key on every start");
        assertFalse(main.toString().contains(main.key()), "a channel never prints its key");
    }

    @Test
    void awsModeWithoutADeclaredChannelHasNone() {
        // the standalone application stops with streaming.channels.main.key is not set (ApplicationProcessIT); an
        // application that embeds this may create its channels' routes itself
        assertEquals(List.of(), read("streaming.s3.embedded", "false", "streaming.s3.bucket", "my-videos").channels());
        assertTrue(StreamingSettings.noKey("main").getMessage().contains("streaming.channels.main.key is not set"));
    }

    @Test
    void clusterModeIsOffUnlessZooKeeperIsNamedAndThenNeedsTheSharedBucket() {
        assertEquals(Optional.empty(), read().cluster());
        ClusterSettings cluster = read("streaming.s3.embedded", "false", "streaming.cluster.zookeeper",
                "zk1:2181,zk2:2181", "streaming.cluster.node-id", "node-a", "streaming.cluster.session-timeout", "4.5")
                .cluster().orElseThrow();
        assertEquals("zk1:2181,zk2:2181", cluster.zookeeper());
        assertEquals("node-a", cluster.nodeId());
        assertEquals(java.time.Duration.ofMillis(4500), cluster.sessionTimeout());
        assertTrue(read("streaming.s3.embedded", "false", "streaming.cluster.zookeeper", "zk:2181").cluster()
                .orElseThrow().nodeId().matches("[A-Za-z0-9._-]{1,64}"), "a host name by default");
        InvalidSettingException embedded = assertThrows(InvalidSettingException.class,
                () -> read("streaming.cluster.zookeeper", "zk:2181"));
        assertTrue(embedded.getMessage().contains("set streaming.s3.embedded=false"), embedded.getMessage());
        InvalidSettingException nodeId = assertThrows(InvalidSettingException.class, () -> read(
                "streaming.s3.embedded", "false", "streaming.cluster.zookeeper", "zk:2181",
                "streaming.cluster.node-id", "node a"));
        assertTrue(nodeId.getMessage().contains("streaming.cluster.node-id"), nodeId.getMessage());
        InvalidSettingException timeout = assertThrows(InvalidSettingException.class, () -> read(
                "streaming.s3.embedded", "false", "streaming.cluster.zookeeper", "zk:2181",
                "streaming.cluster.session-timeout", "0.5"));
        assertTrue(timeout.getMessage().contains("streaming.cluster.session-timeout"), timeout.getMessage());
    }

    @Test
    void aConfiguredKeyIsUsedAndNeverEchoedWhenMalformed() {
        assertEquals("k3y-that-is-long-enough", read("streaming.channels.main.key", "k3y-that-is-long-enough")
                .channels().get(0).key());
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
                () -> read("streaming.channels.main.key", "secret/with?bad&chars"));
        assertTrue(error.getMessage().contains("streaming.channels.main.key"));
        assertFalse(error.getMessage().contains("secret"), "the message must not leak the key");
    }

    @Test
    void anExternalEndpointNeedsEmbeddedOff() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
                () -> read("streaming.s3.endpoint", "http://minio:9000"));
        assertTrue(error.getMessage().contains("streaming.s3.endpoint='http://minio:9000'"), error.getMessage());
        assertTrue(error.getMessage().contains("streaming.s3.embedded=false"));
        StreamingSettings external = read("streaming.s3.embedded", "false", "streaming.s3.endpoint",
                "http://minio:9000", "streaming.channels.main.key", "0123456789abcdef");
        assertEquals(Optional.of(URI.create("http://minio:9000")), external.s3Endpoint());
        assertEquals("http://minio:9000/live/videos/main/index.m3u8", external.publicPlaylistUrl("main"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "streaming.s3.embedded-port | -1         | a port is a number from 1 to 65535",
        "streaming.s3.bucket        | ''         | must not be empty",
        "streaming.s3.bucket        | My_Bucket  | an S3 bucket name is 3 to 63 characters",
        "streaming.s3.bucket        | ab         | an S3 bucket name is 3 to 63 characters",
        "streaming.s3.embedded      | yes        | must be true or false",
        "streaming.s3.prefix        | a b        | use letters, digits",
    })
    void badValuesNameThePropertyAndTheValue(String property, String value, String problem) {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> read(property, value));
        assertTrue(error.getMessage().startsWith("Invalid setting " + property + "='" + value + "': "),
                error.getMessage());
        assertTrue(error.getMessage().contains(problem), error.getMessage());
    }

    /** Settings whose property names are also what the application can enumerate. */
    private static StreamingSettings readDeclared(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return StreamingSettings.read(name -> Optional.ofNullable(values.get(name)), values.keySet());
    }

    @Test
    void channelsAreFoundInPropertyAndEnvironmentVariableNames() {
        assertEquals(java.util.List.of("main", "my-studio", "studio"), java.util.List.copyOf(StreamingSettings.channelNames(
                java.util.List.of("streaming.channels.main.key", "streaming.channels.studio.port", "PATH",
                        "STREAMING_CHANNELS_MY_STUDIO_KEY", "STREAMING_CHANNELS_STUDIO_SRT_PORT",
                        "streaming.channels.x", "streaming.rtmp.port"))));
    }

    @Test
    void severalChannelsOnOneRtmpPortEachWithItsKeyAndMainFirst() {
        StreamingSettings settings = readDeclared(
                "streaming.channels.studio.key", "studio-key-0123456789", "streaming.channels.studio.srt-port", "9998",
                "streaming.channels.main.key", "main-key-0123456789");
        assertEquals(java.util.List.of("main", "studio"), settings.channels().stream().map(Channel::name).toList());
        Channel main = settings.channels().get(0);
        Channel studio = settings.channels().get(1);
        assertTrue(main.srtPort().isEmpty());
        assertEquals(9998, studio.srtPort().getAsInt());
        assertEquals("studio-key-0123456789", studio.key());
    }

    @Test
    void theDemoAlwaysHasMainAndARealOriginOnlyTheDeclaredChannels() {
        StreamingSettings demo = readDeclared("streaming.channels.studio.srt-port", "9998");
        assertEquals(java.util.List.of("main", "studio"), demo.channels().stream().map(Channel::name).toList());
        assertTrue(demo.channels().get(1).generatedKey());
        StreamingSettings real = readDeclared("streaming.s3.embedded", "false",
                "streaming.channels.studio.key", "studio-key-0123456789");
        assertEquals(java.util.List.of("studio"), real.channels().stream().map(Channel::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a name with a slash      | streaming.channels.a/b.key      | k-0123456789abcdef | Invalid channel name 'a/b'",
        "a name with an @         | streaming.channels.me@x.key     | k-0123456789abcdef | Invalid channel name 'me@x'",
        "a name of 65 characters  | streaming.channels.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.key | k-0123456789abcdef | Invalid channel name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
        "the key of another       | streaming.channels.studio.key   | main-key-0123456789 | Channels main and studio have the same stream key",
        "a port of its own (gone) | streaming.channels.studio.port  | 1936 | streaming.channels.studio.port is no longer used: every channel publishes on streaming.rtmp.port,",
        "the same, in the environment | STREAMING_CHANNELS_STUDIO_PORT | 1936 | STREAMING_CHANNELS_STUDIO_PORT is no longer used",
    })
    void badChannelsStopStartUpWithAClearMessage(String what, String property, String value, String message) {
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
                () -> readDeclared("streaming.channels.main.key", "main-key-0123456789", property, value));
        assertTrue(error.getMessage().startsWith(message), what + ": " + error.getMessage());
        assertFalse(error.getMessage().contains("0123456789"), "a key is never echoed: " + error.getMessage());
    }

    @Test
    void outsideEmbeddedModeAKeyNeedsSixteenCharactersAndIsNeverEchoed() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> readDeclared(
                "streaming.s3.embedded", "false", "streaming.channels.main.key", "short-secret"));
        assertEquals("streaming.channels.main.key is too short (12 characters): outside embedded mode a stream key "
                + "needs 16 characters or more", error.getMessage());
        assertEquals("short-secret", readDeclared("streaming.channels.main.key", "short-secret")
                .channels().get(0).key(), "a demo on the embedded origin may use a short key");
    }

    @Test
    void anSrtPassphraseIsTenToSeventyNineCharacters() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> readDeclared(
                "streaming.channels.main.key", "short", "streaming.channels.main.srt-port", "9998"));
        assertTrue(error.getMessage().contains("an SRT passphrase is 10 to 79 characters"), error.getMessage());
        assertFalse(error.getMessage().contains("short'"), error.getMessage());
        InvalidSettingException twice = assertThrows(InvalidSettingException.class, () -> readDeclared(
                "streaming.channels.main.srt-port", "9998", "streaming.channels.b.srt-port", "9998"));
        assertTrue(twice.getMessage().startsWith("SRT port 9998 is set for both channel main and channel b"),
                twice.getMessage());
    }

    @Test
    void restreamDestinationsAreCheckedAndNeverQuoted() {
        readDeclared("streaming.channels.main.key", "k3y-that-is-long-enough", "streaming.channels.main.restream",
                "rtmp://a.rtmp.youtube.com/live2/yt-secret-1, rtmps://live-api-s.facebook.com:443/rtmp/fb-secret-2");
        for (String bad : List.of("https://a.rtmp.youtube.com/live2/yt-secret-3", "rtmp://a.rtmp.youtube.com/yt-secret-4",
                "rtmp:///live2/yt-secret-5", "rtmp://a.rtmp.youtube.com/live2/ yt-secret-6")) {
            InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> readDeclared(
                    "streaming.channels.main.key", "k3y-that-is-long-enough", "streaming.channels.main.restream",
                    "rtmp://127.0.0.1/live/good-secret-0," + bad));
            assertTrue(error.getMessage().startsWith("streaming.channels.main.restream: destination 2 of 2 cannot "
                    + "be used: "), error.getMessage());
            assertFalse(error.getMessage().contains("secret"), "the message must not quote a key: "
                    + error.getMessage());
        }
        // a channel declared by its destinations alone still needs its key outside embedded mode
        InvalidSettingException noKey = assertThrows(InvalidSettingException.class, () -> readDeclared(
                "streaming.s3.embedded", "false", "streaming.channels.studio.restream", "rtmp://127.0.0.1/live/k"));
        assertTrue(noKey.getMessage().contains("streaming.channels.studio.key is not set"), noKey.getMessage());
    }

    @Test
    void prefixSlashesAreTrimmed() {
        assertEquals("live/hls/main/index.m3u8", read("streaming.s3.prefix", "/live/hls/").playlistKey("main"));
        assertEquals("main/index.m3u8", read("streaming.s3.prefix", "").playlistKey("main"));
    }
}
