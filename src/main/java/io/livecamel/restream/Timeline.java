package io.livecamel.restream;

import io.livecamel.media.FlvTag;

/**
 * The clock of one connection to a destination: it starts at 0 on the first keyframe the connection gets (audio
 * alone starts it for a stream without video), and each track's timestamps never go back. When the publisher
 * reconnects, its new timestamps (from 0 again, or anything) are rebased at its first keyframe to one video frame
 * after the last tag sent, so the destination sees neither a jump nor a step back; after media was dropped the clock
 * goes on where the kept media is, with a gap for what was dropped.
 */
final class Timeline {

    /** The step after the last tag when a frame's duration is not known yet (25 fps). */
    private static final long DEFAULT_STEP = 40;

    private boolean needKeyframe = true;
    private boolean started;
    private boolean rebase;
    private long offset;
    private long last;
    private long lastVideo = -1;
    private long lastAudio = -1;
    private long videoStep;

    /** A new publisher connection: its first keyframe is placed after the last tag. */
    void publisherStarted() {
        needKeyframe = true;
        rebase = started;
    }

    /** Media was dropped: nothing goes until the next keyframe. */
    void dropped() {
        needKeyframe = true;
    }

    boolean waitsForKeyframe() {
        return needKeyframe;
    }

    /** The timestamp of the last tag placed, 0 before any: where a new sequence header goes. */
    long last() {
        return last;
    }

    /** Where {@code tag} goes on the destination's clock, or -1 when it is skipped (waiting for a keyframe). */
    long place(FlvTag tag, boolean video) {
        if (needKeyframe) {
            if (video ? !tag.isKeyframe() : tag.isVideo()) {
                return -1;
            }
            if (!started) {
                offset = -tag.timestamp();
                started = true;
            } else if (rebase) {
                offset = last + (videoStep > 0 && videoStep < 1000 ? videoStep : DEFAULT_STEP) - tag.timestamp();
            }
            rebase = false;
            needKeyframe = false;
        }
        long out = Math.max(0, tag.timestamp() + offset);
        if (tag.isVideo()) {
            out = Math.max(out, lastVideo);
            if (lastVideo >= 0 && out > lastVideo) {
                videoStep = out - lastVideo;
            }
            lastVideo = out;
        } else {
            out = Math.max(out, lastAudio);
            lastAudio = out;
        }
        last = Math.max(last, out);
        return out;
    }
}
