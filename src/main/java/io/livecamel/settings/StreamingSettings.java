package io.livecamel.settings;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
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
    private static final Pattern CHANNEL_PROPERTY = Pattern.compile("streaming\\.channels\\.([^.]+)\\.(key|port|srt-port)");
    private static final Pattern CHANNEL_VARIABLE = Pattern.compile("STREAMING_CHANNELS_(.+?)_(KEY|PORT|SRT_PORT)");
    private static final Pattern REMOVED_CHANNEL_PORT = Pattern.compile(
            "streaming\\.channels\\.[^.]+\\.port|STREAMING_CHANNELS_.+?_(?<!SRT_)PORT");
    private static final int MIN_KEY_LENGTH = 16;
    private static final char[] KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

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
        channels = readChannels(values, channelNames(propertyNames));
        checkKeys();
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

    /** Reads the settings of the {@code main} channel alone and everything else. */
    public static StreamingSettings read(Function<String, Optional<String>> properties) {
        return new StreamingSettings(properties, List.of());
    }

    /**
     * The channel names that property names and environment variable names declare: {@code
     * streaming.channels.studio.key} and {@code STREAMING_CHANNELS_STUDIO_KEY} both declare {@code studio}; in an
     * environment variable {@code _} in the name stands for {@code -} ({@code STREAMING_CHANNELS_MY_STUDIO_PORT}:
     * {@code my-studio}). Names are returned as written, valid or not, so that a bad one can be reported.
     */
    public static SortedSet<String> channelNames(Collection<String> names) {
        SortedSet<String> channels = new TreeSet<>();
        for (String name : names) {
            Matcher property = CHANNEL_PROPERTY.matcher(name);
            Matcher variable = CHANNEL_VARIABLE.matcher(name);
            if (property.matches()) {
                channels.add(property.group(1));
            } else if (variable.matches()) {
                channels.add(variable.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return channels;
    }

    private List<Channel> readChannels(PropertyValues values, SortedSet<String> declared) {
        // the demo on the embedded origin always has main; with a real origin, the channels are those declared (an
        // application that embeds this may create its channels' routes itself)
        SortedSet<String> all = new TreeSet<>(declared);
        if (s3Embedded) {
            all.add("main");
        }
        List<String> names = new ArrayList<>(all);
        names.sort(Comparator.comparing((String name) -> !name.equals("main")).thenComparing(name -> name));
        List<Channel> list = new ArrayList<>();
        for (String name : names) {
            if (!Channel.isValidName(name)) {
                throw new InvalidSettingException("Invalid channel name '" + name + "' (in streaming.channels."
                        + name + ".*): " + Channel.NAME_RULE);
            }
            list.add(channel(values, name));
        }
        return List.copyOf(list);
    }

    private Channel channel(PropertyValues values, String name) {
        String prefix = "streaming.channels." + name + ".";
        OptionalInt srtPort = values.optional(prefix + "srt-port").isPresent()
                ? OptionalInt.of(values.port(prefix + "srt-port", 0)) : OptionalInt.empty();
        String property = prefix + "key";
        Optional<String> key = values.optional(property);
        Channel channel;
        if (key.isPresent()) {
            // never echo a key, not even a malformed one
            if (!Channel.KEY.matcher(key.get()).matches()) {
                throw new InvalidSettingException(property + " has characters an RTMP URL cannot carry: use "
                        + "letters, digits, '.', '_', '~' and '-'");
            }
            if (!s3Embedded && key.get().length() < MIN_KEY_LENGTH) {
                throw new InvalidSettingException(property + " is too short (" + key.get().length()
                        + " characters): outside embedded mode a stream key needs " + MIN_KEY_LENGTH
                        + " characters or more");
            }
            channel = new Channel(name, key.get(), srtPort, false);
        } else if (s3Embedded) {
            channel = new Channel(name, generateKey(), srtPort, true);
        } else {
            throw noKey(name);
        }
        if (srtPort.isPresent() && (channel.key().length() < 10 || channel.key().length() > 79)) {
            throw new InvalidSettingException(property + " is the SRT passphrase of " + prefix + "srt-port, and "
                    + "an SRT passphrase is 10 to 79 characters (this key has " + channel.key().length() + ")");
        }
        return channel;
    }

    /** The error for a channel without a key outside embedded mode. */
    public static InvalidSettingException noKey(String channel) {
        return new InvalidSettingException("streaming.channels." + channel + ".key is not set: with "
                + "streaming.s3.embedded=false every channel needs its own secret stream key (" + MIN_KEY_LENGTH
                + " characters or more)");
    }

    /** The key picks the channel: two channels with one key could not both be published to. */
    private void checkKeys() {
        for (int i = 0; i < channels.size(); i++) {
            for (int j = i + 1; j < channels.size(); j++) {
                if (channels.get(i).key().equals(channels.get(j).key())) {
                    throw new InvalidSettingException("Channels " + channels.get(i).name() + " and "
                            + channels.get(j).name() + " have the same stream key: the key picks the channel, so "
                            + "each channel needs its own (streaming.channels.<name>.key)");
                }
            }
        }
    }

    /**
     * No two servers on one port: the second could not bind. {@code ingestPorts} are the TCP ports of the ingest
     * ({@link IngestSettings}), by port: what uses each.
     */
    public void checkPorts(Map<Integer, String> ingestPorts) {
        Map<Integer, String> tcp = new HashMap<>();
        ingestPorts.forEach((port, user) -> claim(tcp, port, user));
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

    private static String generateKey() {
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder("live_");
        for (int i = 0; i < 20; i++) {
            key.append(KEY_ALPHABET[random.nextInt(KEY_ALPHABET.length)]);
        }
        return key.toString();
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
