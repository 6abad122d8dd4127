package io.livecamel.settings;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.ingest.Channel;
import io.livecamel.rtmp.RtmpUrl;

/**
 * The channels the settings declare: {@code streaming.channels.<name>.key} (and {@code .srt-port}, {@code .restream}
 * checked here and read by the admission route), from properties
 * or environment variables; {@code main} too on the embedded origin (the demo), with a key made up at every start
 * when none is set. Names are checked (they are in viewer URLs), keys are checked and never echoed, no two channels
 * share a key.
 */
final class ChannelSettings {

    private static final Pattern CHANNEL_PROPERTY = Pattern.compile("streaming\\.channels\\.([^.]+)\\.(key|port|srt-port|restream)");
    private static final Pattern CHANNEL_VARIABLE = Pattern.compile("STREAMING_CHANNELS_(.+?)_(KEY|PORT|SRT_PORT|RESTREAM)");
    private static final int MIN_KEY_LENGTH = 16;
    private static final char[] KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private ChannelSettings() {
    }

    /**
     * The channel names that property names and environment variable names declare: {@code
     * streaming.channels.studio.key} and {@code STREAMING_CHANNELS_STUDIO_KEY} both declare {@code studio}; in an
     * environment variable {@code _} in the name stands for {@code -} ({@code STREAMING_CHANNELS_MY_STUDIO_PORT}:
     * {@code my-studio}). Names are returned as written, valid or not, so that a bad one can be reported.
     */
    static SortedSet<String> names(Collection<String> names) {
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

    static List<Channel> read(PropertyValues values, SortedSet<String> declared, boolean s3Embedded) {
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
            list.add(channel(values, name, s3Embedded));
        }
        checkKeys(list);
        return List.copyOf(list);
    }

    private static Channel channel(PropertyValues values, String name, boolean s3Embedded) {
        String prefix = "streaming.channels." + name + ".";
        OptionalInt srtPort = values.optional(prefix + "srt-port").isPresent()
                ? OptionalInt.of(values.port(prefix + "srt-port", 0)) : OptionalInt.empty();
        values.optional(prefix + "restream").ifPresent(list -> checkRestream(prefix + "restream", list));
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

    /**
     * Each destination of {@code streaming.channels.<name>.restream} must be one the application can push to; the
     * error names the entry by its place, never quoting it (it carries the destination's key).
     */
    private static void checkRestream(String property, String list) {
        String[] entries = list.split(",");
        for (int i = 0; i < entries.length; i++) {
            try {
                RtmpUrl.parse(entries[i]);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(property + ": destination " + (i + 1) + " of " + entries.length
                        + " cannot be used: " + e.getMessage() + " (rtmp://host/app/key or rtmps://host/app/key)");
            }
        }
    }

    /** The error for a channel without a key outside embedded mode. */
    static InvalidSettingException noKey(String channel) {
        return new InvalidSettingException("streaming.channels." + channel + ".key is not set: with "
                + "streaming.s3.embedded=false every channel needs its own secret stream key (" + MIN_KEY_LENGTH
                + " characters or more)");
    }

    /** The key picks the channel: two channels with one key could not both be published to. */
    private static void checkKeys(List<Channel> channels) {
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

    private static String generateKey() {
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder("live_");
        for (int i = 0; i < 20; i++) {
            key.append(KEY_ALPHABET[random.nextInt(KEY_ALPHABET.length)]);
        }
        return key.toString();
    }
}
