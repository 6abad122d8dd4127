package io.livecamel.restream;

import java.util.ArrayDeque;
import java.util.Deque;

import io.livecamel.media.FlvTag;

/**
 * The publisher's recent media, from a keyframe, kept for the destinations that start (or start again) now: they
 * get it first, so one that takes a while to connect (TLS, a distant server) loses nothing of up to
 * {@link #KEPT_MILLIS}. Whole GOPs are let go from the front as they age; at most {@link #MAX_BYTES} are kept.
 */
final class RecentMedia {

    /** How much media is kept at least, once there is that much: more than a destination takes to connect. */
    static final long KEPT_MILLIS = 5000;
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private final Deque<FlvTag> tags = new ArrayDeque<>();
    private long bytes;

    /** Keeps a tag (a duplicate of its body): {@code video} says whether a keyframe starts what is kept. */
    void add(FlvTag tag, boolean video) {
        boolean start = video ? tag.isKeyframe() : !tag.isVideo();
        if (tags.isEmpty() && !start) {
            return; // what is kept starts with a keyframe
        }
        tags.addLast(new FlvTag(tag.type(), tag.timestamp(), tag.body().retainedDuplicate()));
        bytes += tag.body().readableBytes();
        if (start) {
            trim(tag.timestamp(), video);
        }
    }

    /** Lets go of the oldest GOPs while what follows them still spans the time kept, or the bytes are too many. */
    private void trim(long now, boolean video) {
        while (true) {
            FlvTag next = null;
            boolean first = true;
            for (FlvTag kept : tags) { // the start of the second GOP
                if (!first && (video ? kept.isKeyframe() : !kept.isVideo())) {
                    next = kept;
                    break;
                }
                first = false;
            }
            if (next == null || now - next.timestamp() < KEPT_MILLIS && bytes <= MAX_BYTES) {
                return;
            }
            while (tags.peekFirst() != next) {
                FlvTag gone = tags.removeFirst();
                bytes -= gone.body().readableBytes();
                gone.release();
            }
        }
    }

    Iterable<FlvTag> tags() {
        return tags;
    }

    void clear() {
        tags.forEach(FlvTag::release);
        tags.clear();
        bytes = 0;
    }
}
