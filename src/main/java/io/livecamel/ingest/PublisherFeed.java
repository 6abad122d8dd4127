package io.livecamel.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.livecamel.media.Flv;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.PublishRequest;
import io.livecamel.media.PublisherLink;
import io.livecamel.media.Tracks;
import io.livecamel.restream.Restream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted publisher's media on its way to ffmpeg. Its first tags are held until its tracks are known (every
 * announced track's sequence header, or a second of media) and checked ({@link Tracks}); a refused publisher is
 * cut and nothing of it is written. An accepted one gets its ffmpeg from the channel ({@link ChannelIngest}), which
 * first reads an FLV header with the flags of the tracks present, the sequence headers, then the held tags and
 * everything after them, audio and video only.
 */
final class PublisherFeed implements MediaSink {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherFeed.class);
    /** Media held before the check decides without a complete set of sequence headers. */
    static final long ENOUGH_MILLIS = 1000;
    static final long ENOUGH_BYTES = 4L * 1024 * 1024;
    /** Media held at most (the publisher is paused while its ffmpeg starts; a little more may still arrive). */
    static final long MAX_HELD_BYTES = 16L * 1024 * 1024;

    private enum State { CHECKING, STARTING, LIVE, ENDED }

    private final ChannelIngest channel;
    private final PublisherLink link;
    private final String protocol;
    private final PublishRequest request;
    private final SessionTerms terms;
    private final Tracks tracks;
    private final List<FlvTag> held = new ArrayList<>();
    private long heldBytes;
    private State state = State.CHECKING;
    private HlsWriter writer;
    /** The session's destinations, when it has any. */
    private Restream restream;
    /** The publisher's onMetaData, for destinations. */
    private Map<String, Object> metadata;
    private String endReason;
    private int connection;
    /** The timestamp of the last keyframe until audio at or past it went to ffmpeg; -1 after. */
    private long keyframeAt = -1;

    PublisherFeed(ChannelIngest channel, PublisherLink link, String protocol, PublishRequest request,
            SessionTerms terms, boolean hevcReadable) {
        this.channel = channel;
        this.link = link;
        this.protocol = protocol;
        this.request = request;
        this.terms = terms;
        this.tracks = new Tracks(hevcReadable);
    }

    @Override
    public synchronized void metadata(Map<String, Object> values) {
        if (state == State.CHECKING) {
            metadata = values;
            tracks.metadata(values);
            check();
        }
    }

    @Override
    public synchronized void media(FlvTag tag) {
        switch (state) {
            case CHECKING -> {
                hold(tag);
                tracks.see(tag);
                check();
            }
            case STARTING -> {
                hold(tag);
                if (heldBytes > MAX_HELD_BYTES) {
                    cut("it sent more than " + MAX_HELD_BYTES / (1024 * 1024) + " MiB while its stream was starting");
                }
            }
            case LIVE -> send(tag);
            default -> tag.release();
        }
    }

    private void hold(FlvTag tag) {
        held.add(tag);
        heldBytes += tag.body().readableBytes();
    }

    private void check() {
        long span = held.isEmpty() ? 0 : held.get(held.size() - 1).timestamp() - held.get(0).timestamp();
        switch (tracks.decide(span >= ENOUGH_MILLIS || heldBytes >= ENOUGH_BYTES)) {
            case READY -> {
                state = State.STARTING;
                link.pause();
                channel.open(this);
            }
            case REFUSED -> {
                String reason = tracks.refusal().orElseThrow();
                LOG.warn("Channel {}: refused the {} publisher {}: {}", channel.name(), protocol, link.address(),
                        reason);
                cut("Refused: " + reason + ".");
            }
            default -> { }
        }
    }

    /**
     * Its ffmpeg runs: it gets the FLV header, the sequence headers and what was held, and the publisher is read
     * again; so does the session's {@code restream}, when it has one. False when the publisher went meanwhile
     * (ffmpeg then gets the end of its input at once).
     */
    synchronized boolean go(HlsWriter started, int number, Restream destinations) {
        writer = started;
        connection = number;
        if (state != State.STARTING) {
            release();
            writer.finish();
            return false;
        }
        link.resume(); // before the held media goes: the writer pauses the publisher again if that is too much
        ByteBuf header = Unpooled.buffer(13);
        Flv.writeHeader(header, tracks.hasVideo(), tracks.hasAudio());
        writer.write(header, false);
        List<FlvTag> rest = new ArrayList<>();
        FlvTag videoConfig = null;
        FlvTag audioConfig = null;
        for (FlvTag tag : held) {
            if (tag.isSequenceHeader() && tag.isVideo() && videoConfig == null) {
                videoConfig = tag;
            } else if (tag.isSequenceHeader() && !tag.isVideo() && audioConfig == null) {
                audioConfig = tag;
            } else {
                rest.add(tag);
            }
        }
        held.clear();
        heldBytes = 0;
        state = State.LIVE;
        restream = destinations;
        if (restream != null) {
            restream.publisherStarted(metadata, tracks.hasVideo());
        }
        for (FlvTag tag : new FlvTag[] {videoConfig, audioConfig}) {
            if (tag != null) {
                send(tag);
            }
        }
        rest.forEach(this::send);
        return true;
    }

    private void send(FlvTag tag) {
        try {
            if (tag.isVideo() ? tracks.hasVideo() : tracks.hasAudio()) {
                // a copy on the heap: what waits for ffmpeg is the garbage collector's to free, and the tag's pooled
                // buffer goes back to the pool at once, from the network thread that took it
                ByteBuf bytes = Unpooled.buffer(tag.flvSize());
                Flv.writeTag(bytes, tag);
                writer.write(bytes, cutsSegment(tag));
                if (restream != null) {
                    restream.media(tag);
                }
            }
        } finally {
            tag.release();
        }
    }

    /**
     * True for a tag ffmpeg needs at once to finish a segment: a keyframe (ffmpeg cuts before it), and then the
     * first audio at or past it (ffmpeg writes a packet only once every track has one queued that is not earlier).
     * Without video, every tag may cut one.
     */
    private boolean cutsSegment(FlvTag tag) {
        if (!tracks.hasVideo()) {
            return true;
        }
        if (tag.isKeyframe()) {
            keyframeAt = tracks.hasAudio() ? tag.timestamp() : -1;
            return true;
        }
        if (!tag.isVideo() && keyframeAt >= 0 && tag.timestamp() >= keyframeAt) {
            keyframeAt = -1;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void end(String reason) {
        if (state == State.ENDED) {
            return;
        }
        endReason = reason;
        if (state == State.LIVE) {
            writer.finish();
        }
        state = State.ENDED;
        release();
    }

    /** Cuts the publisher (it is told why where its protocol allows) and ends the feed. */
    synchronized void cut(String reason) {
        if (state != State.ENDED) {
            link.cut(reason);
            end(reason.replaceAll("\\.$", ""));
        }
    }

    private void release() {
        held.forEach(FlvTag::release);
        held.clear();
        heldBytes = 0;
    }

    private synchronized String endReason() {
        return endReason;
    }

    PublisherLink link() {
        return link;
    }

    String protocol() {
        return protocol;
    }

    /** What the publisher asked for (null for SRT, which has no admission route). */
    PublishRequest request() {
        return request;
    }

    /** What the admission gave it besides its channel. */
    SessionTerms terms() {
        return terms;
    }

    int connection() {
        return connection;
    }

    /** Adds what the session's events tell of this publisher: its address and its tracks. */
    void describe(Map<String, Object> event) {
        event.put(StreamingHeaders.REMOTE_ADDRESS, link.address());
        event.put(StreamingHeaders.VIDEO_CODEC, tracks.videoCodec());
        event.put(StreamingHeaders.AUDIO_CODEC, tracks.audioCodec());
        event.put(StreamingHeaders.RESOLUTION, tracks.resolution());
    }

    /**
     * Its ffmpeg has ended with {@code exitCode}: why the connection is over, in words. When ffmpeg ended under a
     * publisher still sending, the publisher is cut and the log says why with ffmpeg's last lines ({@code
     * diskProblem} may explain it).
     */
    String ended(int exitCode, Supplier<Optional<String>> diskProblem) {
        String reason = endReason();
        if (reason == null) { // ffmpeg ended under a publisher still sending
            reason = exitCode == 137 ? "ffmpeg was killed" : "ffmpeg exited with code " + exitCode
                    + diskProblem.get().map(problem -> " (" + problem + ")").orElse("");
            LOG.warn("Channel {}: {} while the publisher was live; its last lines:\n  {}", channel.name(), reason,
                    String.join("\n  ", ffmpegTail()));
            cut("The server stopped writing the stream.");
        } else if (exitCode != 0 && exitCode != 255 && exitCode != 137) { // 137: stopped by us, already said why
            LOG.warn("Channel {}: ffmpeg exited with code {}; its last lines:\n  {}", channel.name(), exitCode,
                    String.join("\n  ", ffmpegTail()));
        }
        return reason;
    }

    /** The writer's last lines of ffmpeg output (empty before it started). */
    synchronized List<String> ffmpegTail() {
        return writer == null ? List.of() : writer.tail();
    }
}
