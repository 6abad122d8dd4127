package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.livecamel.media.Admission;
import io.livecamel.media.PublisherLink;
import io.livecamel.media.Publishers;

/**
 * The component's channels, by name, each declared by an endpoint ({@code hls-ingest:<name>?publishKey=...}), and
 * who may publish to them: the stream key a publisher sends picks the channel, compared in constant time with every
 * key and never logged. Two channels never share a key or an SRT port.
 */
final class ChannelRegistry implements Publishers {

    private final Map<String, ChannelIngest> channels = new ConcurrentHashMap<>();

    /**
     * The channel an endpoint declares, made the first time with {@code create}, given the endpoint's key and SRT
     * port otherwise (a route edited with a new key changes it for the next publishers).
     */
    synchronized ChannelIngest declare(String name, String key, int srtPortOrZero,
            Function<Channel, ChannelIngest> create) {
        if (!Channel.isValidName(name)) {
            throw new IllegalArgumentException("Invalid channel name '" + name + "' in " + IngestComponent.SCHEME
                    + ":" + name + ": " + Channel.NAME_RULE);
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(IngestComponent.SCHEME + ":" + name + " needs publishKey, the "
                    + "channel's secret stream key");
        }
        OptionalInt srtPort = srtPortOrZero > 0 ? OptionalInt.of(srtPortOrZero) : OptionalInt.empty();
        Channel channel = new Channel(name, key, srtPort, false);
        for (ChannelIngest other : channels.values()) {
            if (other.name().equals(name)) {
                continue; // the same channel again: its route was made anew
            }
            if (other.channel().key().equals(key)) {
                throw new IllegalArgumentException("Channels " + other.name() + " and " + name + " have the same "
                        + "stream key: the key picks the channel, so each channel needs its own");
            }
            if (srtPort.isPresent() && other.channel().srtPort().equals(srtPort)) {
                throw new IllegalArgumentException("SRT port " + srtPort.getAsInt() + " is set for both channel "
                        + other.name() + " and channel " + name + ": give each channel an SRT port of its own");
            }
        }
        ChannelIngest existing = channels.get(name);
        if (existing != null) {
            existing.configure(channel);
            return existing;
        }
        ChannelIngest created = create.apply(channel);
        channels.put(name, created);
        return created;
    }

    /** A publisher names a stream key: the channel whose key it is, compared in constant time with every key. */
    @Override
    public Admission admit(String key, PublisherLink link) {
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        ChannelIngest match = null;
        for (ChannelIngest channel : channels.values()) {
            if (MessageDigest.isEqual(given, channel.channel().key().getBytes(StandardCharsets.UTF_8))) {
                match = channel;
            }
        }
        return match == null ? Admission.refused(null, "no channel has this stream key")
                : match.admit(link, "RTMP");
    }

    Collection<ChannelIngest> all() {
        return channels.values();
    }
}
