package io.livecamel.restream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livecamel.media.FlvTag;
import io.livecamel.rtmp.RtmpUrl;

/**
 * A session's destinations: each gets the publisher's stream as it came (no re-encoding) over a connection of its
 * own ({@link Destination}), for as long as the session lives, across its publisher's reconnects. It keeps what a
 * destination needs to start at any time: the metadata and the sequence headers of the publisher now. A destination
 * that fails or falls behind never holds up the publisher, HLS or the other destinations.
 */
public final class Restream {

    private final Restreams service;
    private final String channel;
    private final RestreamEvents events;
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private Map<String, Object> metadata;
    private FlvTag videoConfig;
    private FlvTag audioConfig;
    /** The recent media, from a keyframe: what a destination that starts now gets first. */
    private final RecentMedia recent = new RecentMedia();
    private boolean video;
    private boolean ended;

    Restream(Restreams service, String channel, RestreamEvents events) {
        this.service = service;
        this.channel = channel;
        this.events = events;
    }

    String channel() {
        return channel;
    }

    RestreamEvents events() {
        return events;
    }

    /**
     * The destinations from now on: new ones start, those no longer listed end (with FCUnpublish), those still
     * listed go on over the connection they have.
     */
    public void destinations(List<RtmpUrl> urls) {
        List<Destination> gone = new ArrayList<>();
        List<Destination> added = new ArrayList<>();
        synchronized (this) {
            if (ended) {
                return;
            }
            Map<String, RtmpUrl> wanted = new LinkedHashMap<>();
            urls.forEach(url -> wanted.putIfAbsent(url.name(), url));
            destinations.values().removeIf(destination -> {
                boolean drop = !wanted.containsKey(destination.name());
                if (drop) {
                    gone.add(destination);
                }
                return drop;
            });
            wanted.forEach((name, url) -> destinations.computeIfAbsent(name, key -> {
                Destination destination = new Destination(this, service, url);
                added.add(destination);
                return destination;
            }));
        }
        gone.forEach(destination -> {
            destination.end();
            service.forget(this, destination);
        });
        added.forEach(destination -> {
            service.watch(this, destination);
            destination.connect();
        });
    }

    /**
     * A publisher's connection starts, with its {@code metadata} (null when it sent none) and with video or not: its
     * sequence headers come next, its timestamps are rebased at its first keyframe.
     */
    public synchronized void publisherStarted(Map<String, Object> metadata, boolean video) {
        this.metadata = metadata == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.video = video;
        release(); // the recent media too: a new connection's timestamps start again
        destinations.values().forEach(destination -> destination.publisherStarted(this.metadata));
    }

    /** One tag of the publisher's stream; the caller keeps (and releases) it. */
    public synchronized void media(FlvTag tag) {
        if (ended) {
            return;
        }
        if (tag.isSequenceHeader()) {
            FlvTag kept = new FlvTag(tag.type(), tag.timestamp(), tag.body().retainedDuplicate());
            if (tag.isVideo()) {
                if (videoConfig != null) {
                    videoConfig.release();
                }
                videoConfig = kept;
            } else {
                if (audioConfig != null) {
                    audioConfig.release();
                }
                audioConfig = kept;
            }
        } else {
            recent.add(tag, video);
        }
        for (Destination destination : destinations.values()) {
            destination.media(tag, video);
        }
    }

    synchronized Map<String, Object> metadata() {
        return metadata;
    }

    /** The sequence headers of the publisher now, video first (the destination's lock is taken under this one). */
    synchronized List<FlvTag> configs() {
        List<FlvTag> configs = new ArrayList<>(2);
        for (FlvTag config : new FlvTag[] {videoConfig, audioConfig}) {
            if (config != null) {
                configs.add(config);
            }
        }
        return configs;
    }

    /** The recent media of the publisher now, from a keyframe (the destination's lock is taken under this one). */
    synchronized Iterable<FlvTag> recent() {
        return recent.tags();
    }

    synchronized boolean video() {
        return video;
    }

    /** The session is over here: every destination gets FCUnpublish and deleteStream, and is closed. */
    public void end() {
        List<Destination> all;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            all = new ArrayList<>(destinations.values());
            destinations.clear();
            release();
        }
        all.forEach(destination -> {
            destination.end();
            service.forget(this, destination);
        });
    }

    private void release() {
        recent.clear();
        if (videoConfig != null) {
            videoConfig.release();
            videoConfig = null;
        }
        if (audioConfig != null) {
            audioConfig.release();
            audioConfig = null;
        }
    }

    /** Each destination as the API shows it. */
    public synchronized List<DestinationView> views() {
        return destinations.values().stream().map(Destination::view).toList();
    }
}
