package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;


/**
 * The component's channels, by name, each declared by an endpoint ({@code hls-ingest:<name>?publishKey=...}), and
 * their keys: the stream key a publisher sends picks the channel, compared in constant time with every key and never
 * logged. Two channels never share a key or an SRT port. A channel the admission route names may have no key
 * ({@link OnDemandChannels}).
 */
final class ChannelRegistry {

    private final Map<String, ChannelIngest> channels = new ConcurrentHashMap<>();
    private final Set<String> onDemand = ConcurrentHashMap.newKeySet();

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
        if ((key == null || key.isEmpty()) && !onDemand.contains(name)) {
            throw new IllegalArgumentException(IngestComponent.SCHEME + ":" + name + " needs publishKey, the "
                    + "channel's secret stream key (only a channel the admission route names may have none)");
        }
        OptionalInt srtPort = srtPortOrZero > 0 ? OptionalInt.of(srtPortOrZero) : OptionalInt.empty();
        Channel channel = new Channel(name, key == null ? "" : key, srtPort, false);
        for (ChannelIngest other : channels.values()) {
            if (other.name().equals(name)) {
                continue; // the same channel again: its route was made anew
            }
            if (!other.channel().key().isEmpty() && other.channel().key().equals(key)) {
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

    /** The channel whose key this is, compared in constant time with every key; empty when none. */
    Optional<ChannelIngest> byKey(String key) {
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        ChannelIngest match = null;
        for (ChannelIngest channel : channels.values()) {
            byte[] own = channel.channel().key().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(given, own) && own.length > 0) {
                match = channel;
            }
        }
        return Optional.ofNullable(match);
    }

    ChannelIngest get(String name) {
        return channels.get(name);
    }

    /** The next channel declared with this name is one the admission route named: it may have no key. */
    void markOnDemand(String name) {
        onDemand.add(name);
    }

    boolean isOnDemand(String name) {
        return onDemand.contains(name);
    }

    /** A channel made on demand is gone. */
    void forget(String name) {
        channels.remove(name);
        onDemand.remove(name);
    }

    Set<String> names() {
        return channels.keySet();
    }

    Collection<ChannelIngest> all() {
        return channels.values();
    }
}
