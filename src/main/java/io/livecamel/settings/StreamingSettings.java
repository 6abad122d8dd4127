package io.livecamel.settings;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every {@code streaming.*} setting, read once at start-up and checked, so that a bad value stops the application
 * with one message naming the property and the value instead of surfacing later as a failed upload or a dead
 * listener. Values come from Camel's properties (application.properties, -D system properties, environment).
 */
public final class StreamingSettings {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._/-]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final char[] KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Path mediaDir;
    private final double hlsTime;
    private final int hlsListSize;
    private final boolean s3Embedded;
    private final int s3EmbeddedPort;
    private final Path s3EmbeddedDir;
    private final Optional<URI> s3Endpoint;
    private final String s3Bucket;
    private final String s3Region;
    private final String s3Prefix;
    private final Optional<String> ffmpegPath;
    private final Optional<String> cloudFrontDistributionId;
    private final Optional<URI> cloudFrontEndpoint;
    private final List<Channel> channels;

    private StreamingSettings(Function<String, Optional<String>> properties) {
        Values values = new Values(properties);
        mediaDir = Path.of(values.text("streaming.media-dir", "./media"));
        hlsTime = values.decimal("streaming.hls.time", 1, 0.1, 30);
        hlsListSize = values.integer("streaming.hls.list-size", 100, 1, 100_000);
        s3Embedded = values.bool("streaming.s3.embedded", true);
        s3EmbeddedPort = values.port("streaming.s3.embedded-port", 9000);
        s3EmbeddedDir = Path.of(values.text("streaming.s3.embedded-dir", "./data"));
        s3Endpoint = values.optional("streaming.s3.endpoint").map(v -> values.httpUri("streaming.s3.endpoint", v));
        s3Bucket = values.matching("streaming.s3.bucket", "live", BUCKET,
                "an S3 bucket name is 3 to 63 characters: lower-case letters, digits, dots and hyphens");
        s3Region = values.matching("streaming.s3.region", "us-east-1", REGION, "not an AWS region name");
        s3Prefix = trimSlashes(values.matchingOrEmpty("streaming.s3.prefix", "videos", PREFIX,
                "use letters, digits, '.', '_', '-' and '/' only"));
        ffmpegPath = values.optional("streaming.ffmpeg.path");
        cloudFrontDistributionId = values.optional("streaming.cloudfront.distribution-id");
        cloudFrontEndpoint = values.optional("streaming.cloudfront.endpoint")
                .map(v -> values.httpUri("streaming.cloudfront.endpoint", v));
        if (s3Embedded && s3Endpoint.isPresent()) {
            throw new InvalidSettingException("streaming.s3.endpoint", s3Endpoint.get().toString(),
                    "an endpoint points at an external S3 service; set streaming.s3.embedded=false to use it");
        }
        channels = List.of(channel(values, "main", values.port("streaming.rtmp.port", 1935)));
    }

    /** Reads and checks every setting; throws {@link InvalidSettingException} on the first bad one. */
    public static StreamingSettings read(Function<String, Optional<String>> properties) {
        return new StreamingSettings(properties);
    }

    private Channel channel(Values values, String name, int port) {
        String property = "streaming.channels." + name + ".key";
        Optional<String> key = values.optional(property);
        if (key.isPresent()) {
            if (!Channel.KEY.matcher(key.get()).matches()) {
                // never echo a key, not even a malformed one
                throw new InvalidSettingException(property + " has characters an RTMP URL cannot carry: use "
                        + "letters, digits, '.', '_', '~' and '-'");
            }
            return new Channel(name, key.get(), port, false);
        }
        if (!s3Embedded) {
            throw new InvalidSettingException(property + " is not set: with streaming.s3.embedded=false every "
                    + "channel needs its own secret stream key (16 characters or more)");
        }
        return new Channel(name, generateKey(), port, true);
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

    public Path mediaDir() {
        return mediaDir;
    }

    public double hlsTime() {
        return hlsTime;
    }

    public int hlsListSize() {
        return hlsListSize;
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

    public Optional<String> ffmpegPath() {
        return ffmpegPath;
    }

    public Optional<String> cloudFrontDistributionId() {
        return cloudFrontDistributionId;
    }

    public Optional<URI> cloudFrontEndpoint() {
        return cloudFrontEndpoint;
    }

    public List<Channel> channels() {
        return channels;
    }

    /** The object key of a channel's playlist, e.g. {@code videos/main/index.m3u8}. */
    public String playlistKey(String channel) {
        return objectKey(channel, "index.m3u8");
    }

    public String objectKey(String channel, String fileName) {
        return (s3Prefix.isEmpty() ? "" : s3Prefix + "/") + channel + "/" + fileName;
    }

    /** Where viewers find a channel's playlist when the embedded origin serves it. */
    public Optional<String> embeddedPlaylistUrl(String channel) {
        return s3Embedded
                ? Optional.of(s3Endpoint().orElseThrow() + "/" + s3Bucket + "/" + playlistKey(channel))
                : Optional.empty();
    }

    /** Typed reads of raw property values, each failing with the property's name and value. */
    private static final class Values {
        private final Function<String, Optional<String>> properties;

        Values(Function<String, Optional<String>> properties) {
            this.properties = properties;
        }

        Optional<String> optional(String name) {
            return properties.apply(name).map(String::trim).filter(v -> !v.isEmpty());
        }

        String text(String name, String fallback) {
            Optional<String> raw = properties.apply(name);
            if (raw.isPresent() && raw.get().isBlank()) {
                throw new InvalidSettingException(name, raw.get(), "must not be empty");
            }
            return raw.map(String::trim).orElse(fallback);
        }

        String matching(String name, String fallback, Pattern pattern, String rule) {
            String value = text(name, fallback);
            if (!pattern.matcher(value).matches()) {
                throw new InvalidSettingException(name, value, rule);
            }
            return value;
        }

        /** Like {@link #matching}, but an empty value is a value (an empty prefix: objects at the bucket root). */
        String matchingOrEmpty(String name, String fallback, Pattern pattern, String rule) {
            String value = properties.apply(name).map(String::trim).orElse(fallback);
            if (!pattern.matcher(value).matches()) {
                throw new InvalidSettingException(name, value, rule);
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = text(name, Integer.toString(fallback));
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new InvalidSettingException(name, value, "must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(name, value, "not a whole number");
            }
        }

        int port(String name, int fallback) {
            String value = text(name, Integer.toString(fallback));
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < 1 || parsed > 65535) {
                    throw new InvalidSettingException(name, value, "a port is a number from 1 to 65535");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(name, value, "a port is a number from 1 to 65535");
            }
        }

        double decimal(String name, double fallback, double min, double max) {
            String value = text(name, Double.toString(fallback));
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed >= min && parsed <= max)) {
                    throw new InvalidSettingException(name, value, "must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(name, value, "not a number");
            }
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name, Boolean.toString(fallback));
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new InvalidSettingException(name, value, "must be true or false");
        }

        URI httpUri(String name, String value) {
            try {
                URI uri = new URI(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new InvalidSettingException(name, value, "must be an http:// or https:// URL");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new InvalidSettingException(name, value, "not a URL");
            }
        }
    }
}
