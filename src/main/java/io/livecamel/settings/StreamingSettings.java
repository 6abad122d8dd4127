package io.livecamel.settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.livecamel.ingest.Channel;

/**
 * Every {@code streaming.*} setting, read once at start-up and checked, so that a bad value stops the application
 * with one message naming the property and the value instead of surfacing later as a failed upload or a dead
 * listener. Values come from Camel's properties (application.properties, -D system properties, environment).
 */
public final class StreamingSettings {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern REMOVED_CHANNEL_PORT = Pattern.compile(
            "streaming\\.channels\\.[^.]+\\.port|STREAMING_CHANNELS_.+?_(?<!SRT_)PORT");

    private final boolean s3Embedded;
    private final int s3EmbeddedPort;
    private final Path s3EmbeddedDir;
    private final Optional<URI> s3Endpoint;
    private final String s3Bucket;
    private final String s3Region;
    private final String s3Prefix;
    private final Optional<String> cloudFrontDistributionId;
    private final Optional<URI> cloudFrontEndpoint;
    private final int cloudFrontInvalidationInterval;
    private final List<Channel> channels;
    private final OptionalInt httpPort;
    private final URI publicBaseUrl;
    private final boolean recording;
    private final Optional<URI> admissionUrl;
    private final Optional<String> admissionSecret;
    private final Optional<String> apiToken;
    private final Optional<ClusterSettings> cluster;

    private StreamingSettings(Function<String, Optional<String>> properties, Collection<String> propertyNames) {
        PropertyValues values = new PropertyValues(properties);
        s3Embedded = values.bool("streaming.s3.embedded", true);
        s3EmbeddedPort = values.port("streaming.s3.embedded-port", 9000);
        s3EmbeddedDir = Path.of(values.text("streaming.s3.embedded-dir", "./data"));
        s3Endpoint = values.optional("streaming.s3.endpoint").map(v -> values.httpUri("streaming.s3.endpoint", v));
        s3Bucket = values.matching("streaming.s3.bucket", "live", BUCKET,
                "an S3 bucket name is 3 to 63 characters: lower-case letters, digits, dots and hyphens");
        s3Region = values.matching("streaming.s3.region", "us-east-1", REGION, "not an AWS region name");
        s3Prefix = trimSlashes(values.matchingOrEmpty("streaming.s3.prefix", "videos", PREFIX,
                "use letters, digits, '.', '_', '-' and '/' only"));
        recording = values.bool("streaming.recording", true);
        admissionUrl = values.optional("streaming.admission.url")
                .map(v -> values.httpUri("streaming.admission.url", v));
        admissionSecret = values.optional("streaming.admission.secret");
        apiToken = values.optional("streaming.api.token");
        cluster = ClusterSettings.read(values, s3Embedded);
        if (apiToken.isPresent() && apiToken.get().length() < 16) {
            throw new InvalidSettingException("streaming.api.token is too short (" + apiToken.get().length()
                    + " characters): the admin API's token needs 16 characters or more");
        }
        cloudFrontDistributionId = values.optional("streaming.cloudfront.distribution-id");
        cloudFrontInvalidationInterval = values.integer("streaming.cloudfront.invalidation-interval", 60, 1, 86_400);
        cloudFrontEndpoint = values.optional("streaming.cloudfront.endpoint")
                .map(v -> values.httpUri("streaming.cloudfront.endpoint", v));
        if (s3Embedded && s3Endpoint.isPresent()) {
            throw new InvalidSettingException("streaming.s3.endpoint", s3Endpoint.get().toString(),
                    "an endpoint points at an external S3 service; set streaming.s3.embedded=false to use it");
        }
        // the HTTP side is the standalone application's (camel.server.port in its application.properties)
        httpPort = values.optional("streaming.http.port").isPresent()
                ? OptionalInt.of(values.port("streaming.http.port", 0)) : OptionalInt.empty();
        publicBaseUrl = values.optional("streaming.public-base-url")
                .map(v -> values.httpUri("streaming.public-base-url", v.replaceAll("/+$", "")))
                .orElseGet(this::defaultPublicBaseUrl);
        for (String name : propertyNames) {
            if (REMOVED_CHANNEL_PORT.matcher(name).matches()) {
                throw new InvalidSettingException(name + " is no longer used: every channel publishes on "
                        + "streaming.rtmp.port, and its stream key picks the channel. Remove it; "
                        + "in OBS, the server is rtmp://host/live for every channel");
            }
        }
        channels = ChannelSettings.read(values, ChannelSettings.names(propertyNames), s3Embedded);
        checkPorts(Map.of());
    }

    /**
     * Reads and checks every setting; throws {@link InvalidSettingException} on the first bad one. The channels are
     * those named in any {@code streaming.channels.<name>.*} property among {@code propertyNames}, and {@code main}
     * in embedded mode or when no channel is named; their settings are read through {@code properties}.
     */
    public static StreamingSettings read(Function<String, Optional<String>> properties,
            Collection<String> propertyNames) {
        return new StreamingSettings(properties, propertyNames);
    }

    /** The channel names that property names declare ({@link ChannelSettings#names}). */
    public static SortedSet<String> channelNames(Collection<String> names) {
        return ChannelSettings.names(names);
    }

    /** The error for a channel without a key outside embedded mode. */
    public static InvalidSettingException noKey(String channel) {
        return ChannelSettings.noKey(channel);
    }

    /** Reads the settings of the {@code main} channel alone and everything else. */
    public static StreamingSettings read(Function<String, Optional<String>> properties) {
        return new StreamingSettings(properties, List.of());
    }

    /**
     * No two servers on one port: the second could not bind. {@code ingestPorts} are the TCP ports of the ingest
     * ({@link IngestSettings}): what uses each, and its port, in the order they are claimed.
     */
    public void checkPorts(Map<String, Integer> ingestPorts) {
        Map<Integer, String> tcp = new HashMap<>();
        ingestPorts.forEach((user, port) -> claim(tcp, port, user));
        Map<Integer, String> udp = new HashMap<>();
        httpPort.ifPresent(port -> claim(tcp, port, "the HTTP server (streaming.http.port)"));
        if (s3Embedded) {
            claim(tcp, s3EmbeddedPort, "the embedded S3 server (streaming.s3.embedded-port)");
        }
        for (Channel channel : channels) {
            String user = "channel " + channel.name();
            if (channel.srtPort().isPresent()) {
                String srtBefore = udp.putIfAbsent(channel.srtPort().getAsInt(), user);
                if (srtBefore != null) {
                    throw new InvalidSettingException("SRT port " + channel.srtPort().getAsInt() + " is set for both "
                            + srtBefore + " and " + user + ": give each channel an SRT port of its own");
                }
            }
        }
    }

    private static void claim(Map<Integer, String> ports, int port, String user) {
        String before = ports.putIfAbsent(port, user);
        if (before != null) {
            throw new InvalidSettingException("Port " + port + " is set for both " + before + " and " + user);
        }
    }

    private static String trimSlashes(String prefix) {
        return prefix.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    public boolean s3Embedded() {
        return s3Embedded;
    }

    public int s3EmbeddedPort() {
        return s3EmbeddedPort;
    }

    public Path s3EmbeddedDir() {
        return s3EmbeddedDir;
    }

    /** The S3 API endpoint: the embedded server's in embedded mode, else the configured one (empty: AWS). */
    public Optional<URI> s3Endpoint() {
        return s3Embedded ? Optional.of(URI.create("http://127.0.0.1:" + s3EmbeddedPort)) : s3Endpoint;
    }

    public String s3Bucket() {
        return s3Bucket;
    }

    public String s3Region() {
        return s3Region;
    }

    public String s3Prefix() {
        return s3Prefix;
    }

    public Optional<String> cloudFrontDistributionId() {
        return cloudFrontDistributionId;
    }

    /** Seconds over which CDN invalidations are gathered into one request. */
    public int cloudFrontInvalidationInterval() {
        return cloudFrontInvalidationInterval;
    }

    public Optional<URI> cloudFrontEndpoint() {
        return cloudFrontEndpoint;
    }

    /** Where viewers get the bucket's objects: the embedded server, S3's own URL, or a CDN's. */
    private URI defaultPublicBaseUrl() {
        return s3Endpoint().map(endpoint -> URI.create(endpoint.toString().replaceAll("/+$", "") + "/" + s3Bucket))
                .orElse(URI.create("https://" + s3Bucket + ".s3." + s3Region + ".amazonaws.com"));
    }

    /** The HTTP side's port, when the application has one (the standalone one does). */
    public OptionalInt httpPort() {
        return httpPort;
    }



    /** The URL under which viewers find the objects: {@code <base>/<prefix>/<channel>/index.m3u8}. */
    public URI publicBaseUrl() {
        return publicBaseUrl;
    }

    /** A channel's playlist as viewers load it. */
    public String publicPlaylistUrl(String channel) {
        return publicUrl(playlistKey(channel));
    }



    public List<Channel> channels() {
        return channels;
    }

    /** The configured channel of that name, if there is one. */
    public Optional<Channel> channel(String name) {
        return channels.stream().filter(channel -> channel.name().equals(name)).findFirst();
    }

    /** True when every session is kept as a video on demand once it has ended. */
    public boolean recording() {
        return recording;
    }

    /** The HTTP backend that decides who may publish, if one is set. */
    public Optional<URI> admissionUrl() {
        return admissionUrl;
    }

    /** The secret the requests to the admission backend are signed with (HMAC-SHA256), if one is set. */
    public Optional<String> admissionSecret() {
        return admissionSecret;
    }

    /** Cluster mode's settings, when it is on ({@code streaming.cluster.zookeeper} set). */
    public Optional<ClusterSettings> cluster() {
        return cluster;
    }

    /** The bearer token of the admin API (stop a session), if it is on. */
    public Optional<String> apiToken() {
        return apiToken;
    }

    /** The object key of a session's recording, e.g. {@code videos/main/20261123-200512123-k3f9/index.m3u8}. */
    public String recordingKey(String channel, String session) {
        return objectKey(channel, session + "/index.m3u8");
    }

    /** An object as viewers load it. */
    public String publicUrl(String objectKey) {
        return publicBaseUrl + "/" + objectKey;
    }

    /** The object key of a channel's playlist, e.g. {@code videos/main/index.m3u8}. */
    public String playlistKey(String channel) {
        return objectKey(channel, "index.m3u8");
    }

    public String objectKey(String channel, String fileName) {
        return (s3Prefix.isEmpty() ? "" : s3Prefix + "/") + channel + "/" + fileName;
    }

}
