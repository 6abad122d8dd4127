package io.livecamel.media;

import java.util.Map;
import java.util.Optional;

/**
 * What a publisher's first tags and metadata say about its tracks: the codecs, the picture size, and whether each
 * track's configuration (its sequence header) has arrived. It decides when enough is known to start writing HLS
 * (every announced track configured), and refuses what HLS in MPEG-TS cannot carry as it is: video other than H.264
 * (HEVC only where the ffmpeg in use reads Enhanced RTMP), audio other than AAC or MP3.
 */
public final class Tracks {

    /** Where the check stands. */
    public enum Decision {
        /** Not enough is known yet. */
        WAIT,
        /** The tracks are known and accepted: see {@link #hasVideo()}, {@link #hasAudio()}. */
        READY,
        /** Refused: see {@link #refusal()}. */
        REFUSED
    }

    private final boolean hevcReadable;
    private boolean metadata;
    private boolean announcedVideo;
    private boolean announcedAudio;
    private String videoCodec;
    private String audioCodec;
    private boolean videoSeen;
    private boolean audioSeen;
    private boolean videoReady;
    private boolean audioReady;
    private String resolution;
    private String refusal;

    /** {@code hevcReadable}: the ffmpeg in use reads HEVC from Enhanced RTMP's FLV (FFmpeg 6.1 and later). */
    public Tracks(boolean hevcReadable) {
        this.hevcReadable = hevcReadable;
    }

    /** Takes an {@code onMetaData} object: which tracks the publisher announces, and the picture size. */
    public void metadata(Map<String, Object> values) {
        metadata = true;
        announcedVideo |= isSet(values.get("videocodecid"));
        announcedAudio |= isSet(values.get("audiocodecid"));
        if (resolution == null && values.get("width") instanceof Number width
                && values.get("height") instanceof Number height && width.intValue() > 0 && height.intValue() > 0) {
            resolution = width.intValue() + "x" + height.intValue();
        }
    }

    private static boolean isSet(Object codec) {
        return codec instanceof Number number ? number.doubleValue() != 0 : codec instanceof String text
                && !text.isEmpty();
    }

    /** Takes one tag, before the decision. */
    public void see(FlvTag tag) {
        if (refusal != null || tag.body().readableBytes() < 1) {
            return;
        }
        int first = tag.body().getUnsignedByte(tag.body().readerIndex());
        if (tag.isVideo()) {
            seeVideo(tag, first);
        } else {
            seeAudio(tag, first);
        }
    }

    private void seeVideo(FlvTag tag, int first) {
        videoSeen = true;
        String codec;
        if ((first & 0x80) != 0) {
            codec = enhancedVideo(tag);
        } else {
            codec = switch (first & 0x0F) {
                case 7 -> "h264";
                case 12 -> "HEVC (codec id 12, not Enhanced RTMP)";
                case 2 -> "Sorenson H.263";
                case 4, 5 -> "VP6";
                case 3, 6 -> "Screen video";
                default -> "unknown (codec id " + (first & 0x0F) + ")";
            };
        }
        if (videoCodec == null) {
            videoCodec = codec;
        }
        if (codec.equals("h264")) {
            if (tag.isSequenceHeader()) {
                videoReady = true;
                AvcConfig.resolution(tag.body()).ifPresent(size -> resolution = size);
            }
        } else if (codec.equals("hevc") && hevcReadable) {
            if (tag.isSequenceHeader()) {
                videoReady = true;
            }
        } else if (codec.equals("hevc")) {
            refusal = "its video is HEVC over Enhanced RTMP, which the ffmpeg in use cannot read (FFmpeg 6.1 or "
                    + "later can: streaming.ffmpeg.path); send H.264";
        } else {
            refusal = "its video codec " + codec + " cannot be carried in HLS/MPEG-TS without re-encoding; send "
                    + "H.264";
        }
    }

    private static String enhancedVideo(FlvTag tag) {
        if (tag.body().readableBytes() < 5) {
            return "unknown (a short Enhanced RTMP header)";
        }
        String fourCc = tag.body().toString(tag.body().readerIndex() + 1, 4,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return switch (fourCc) {
            case "hvc1" -> "hevc";
            case "av01" -> "AV1 (Enhanced RTMP)";
            case "vp09" -> "VP9 (Enhanced RTMP)";
            case "avc1" -> "H.264 over Enhanced RTMP";
            default -> "unknown (Enhanced RTMP FourCC " + fourCc.replaceAll("[^A-Za-z0-9]", "?") + ")";
        };
    }

    private void seeAudio(FlvTag tag, int first) {
        audioSeen = true;
        int format = first >> 4;
        String codec = switch (format) {
            case 10 -> "aac";
            case 2, 14 -> "mp3";
            case 0, 3 -> "linear PCM";
            case 1 -> "ADPCM";
            case 4, 5, 6 -> "Nellymoser";
            case 7 -> "G.711 A-law";
            case 8 -> "G.711 mu-law";
            case 9 -> "Enhanced RTMP audio (Opus, FLAC, AC-3...)";
            case 11 -> "Speex";
            default -> "unknown (sound format " + format + ")";
        };
        if (audioCodec == null) {
            audioCodec = codec;
        }
        if (codec.equals("aac")) {
            if (tag.isSequenceHeader()) {
                audioReady = true;
            }
        } else if (codec.equals("mp3")) {
            audioReady = true;
        } else {
            refusal = "its audio codec " + codec + " cannot be carried in HLS/MPEG-TS without re-encoding; send AAC";
        }
    }

    /**
     * Whether to start now. {@code enough}: the publisher has sent enough (a second of media, or a lot of bytes)
     * that a track not configured yet will not be.
     */
    public Decision decide(boolean enough) {
        if (refusal != null) {
            return Decision.REFUSED;
        }
        boolean expectVideo = announcedVideo || videoSeen;
        boolean expectAudio = announcedAudio || audioSeen;
        boolean complete = (!expectVideo || videoReady) && (!expectAudio || audioReady)
                && (metadata || videoReady && audioReady);
        if (!complete && !enough) {
            return Decision.WAIT;
        }
        if (videoSeen && !videoReady) {
            refusal = "it sent " + videoCodec + " video without its sequence header (decoder configuration)";
            return Decision.REFUSED;
        }
        if (audioSeen && !audioReady) {
            refusal = "it sent " + audioCodec + " audio without its sequence header (AudioSpecificConfig)";
            return Decision.REFUSED;
        }
        if (!videoReady && !audioReady) {
            refusal = "it sent neither video nor audio";
            return Decision.REFUSED;
        }
        return Decision.READY;
    }

    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    public boolean hasVideo() {
        return videoReady;
    }

    public boolean hasAudio() {
        return audioReady;
    }

    /** {@code h264}, {@code hevc}, or null without video. */
    public String videoCodec() {
        return videoReady ? videoCodec : null;
    }

    /** {@code aac}, {@code mp3}, or null without audio. */
    public String audioCodec() {
        return audioReady ? audioCodec : null;
    }

    /** {@code 1280x720}, or null when unknown. */
    public String resolution() {
        return videoReady ? resolution : null;
    }
}
