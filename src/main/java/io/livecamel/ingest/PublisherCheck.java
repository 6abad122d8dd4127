package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

import io.livecamel.settings.Channel;

/**
 * Whether a publisher may go live on a channel: it must publish under the channel's stream key, with codecs that
 * HLS in MPEG-TS carries (the stream is copied, not re-encoded). Each refusal has a reason fit for the log: it never
 * repeats the key, nor the name the publisher sent (it may be the key with a typo).
 */
final class PublisherCheck {

    static final Set<String> VIDEO_CODECS = Set.of("h264", "hevc");
    static final Set<String> AUDIO_CODECS = Set.of("aac", "mp3", "ac3", "eac3");

    private final Channel channel;

    PublisherCheck(Channel channel) {
        this.channel = channel;
    }

    /** Why the stream name a publisher sent is refused, or empty when it is the channel's key. */
    Optional<String> refuseName(String publishedName) {
        if (publishedName == null) {
            return Optional.of("it did not publish under a stream key");
        }
        // constant time: how long the comparison takes says nothing about the key
        boolean same = MessageDigest.isEqual(publishedName.getBytes(StandardCharsets.UTF_8),
                channel.key().getBytes(StandardCharsets.UTF_8));
        return same ? Optional.empty() : Optional.of("wrong stream key");
    }

    /** Why a publisher's codecs are refused, or empty when HLS/MPEG-TS can carry them as they are. */
    Optional<String> refuseCodecs(String video, String audio) {
        if (video == null && audio == null) {
            return Optional.of("it sent neither video nor audio");
        }
        if (video != null && !VIDEO_CODECS.contains(video)) {
            return Optional.of("its video codec " + video + " cannot be carried in HLS/MPEG-TS without re-encoding "
                    + "(use H.264 or HEVC)");
        }
        if (audio != null && !AUDIO_CODECS.contains(audio)) {
            return Optional.of("its audio codec " + audio + " cannot be carried in HLS/MPEG-TS without re-encoding "
                    + "(use AAC)");
        }
        return Optional.empty();
    }
}
