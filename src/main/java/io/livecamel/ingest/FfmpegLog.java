package io.livecamel.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.settings.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a listening ffmpeg's log as it runs. It tells when a publisher names its stream (the stream key: ffmpeg
 * logs {@code Unexpected stream <name>, expecting <ours>} and goes on, it does not check keys itself), when the
 * publisher's stream has been recognised ({@code Input #0} and the indented description of its streams), and
 * whether a connection was ever handled. It keeps the last lines, with the key redacted, to explain a failure.
 */
final class FfmpegLog {

    /** What a line of the log tells. */
    enum Event {
        NOTHING,
        /** The publisher named its stream: see {@link #publishedName()}. */
        PUBLISH_NAMED,
        /** The publisher's streams are described: see {@link #input()}, {@link #videoCodec()}... */
        INPUT_DESCRIBED
    }

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegLog.class);
    private static final int TAIL_LINES = 20;
    private static final Pattern PUBLISH_NAME = Pattern.compile(".*Unexpected stream (.*), expecting .*");
    private static final Pattern CONNECTION = Pattern.compile(
            "(?i).*(handshake|unexpected stream|rtmp packet|input #0|Input/output error|Connection reset).*");
    private static final Pattern STREAM = Pattern.compile("Stream #0:\\d+.*?: (Video|Audio|Data): ([a-z0-9_]+)(.*)");
    private static final Pattern SIZE = Pattern.compile("\\b(\\d{2,5})x(\\d{2,5})\\b");
    private static final Pattern BIND_FAILURE = Pattern.compile("(?i).*(Cannot open connection|Address already in use).*");

    private final Channel channel;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> streams = new ArrayList<>();
    private StringBuilder input;
    private boolean described;
    private boolean sawConnection;
    private boolean bindFailed;
    private String publishedName;
    private String videoCodec;
    private String audioCodec;
    private String resolution;

    FfmpegLog(Channel channel) {
        this.channel = channel;
    }

    /** Takes one line of ffmpeg's output and tells what it means. */
    Event read(String line) {
        String safe = channel.redact(line);
        LOG.debug("Channel {} ffmpeg: {}", channel.name(), safe);
        tail.addLast(safe);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (CONNECTION.matcher(line).matches()) {
            sawConnection = true;
        }
        if (BIND_FAILURE.matcher(line).matches()) {
            bindFailed = true;
        }
        if (described) {
            return Event.NOTHING;
        }
        Matcher named = PUBLISH_NAME.matcher(line);
        if (named.matches() && publishedName == null) {
            publishedName = named.group(1); // raw: compared with the key, never logged
            return Event.PUBLISH_NAMED;
        }
        if (safe.startsWith("Input #0")) {
            input = new StringBuilder();
        } else if (input != null) {
            if (safe.startsWith("  ")) {
                input.append(safe.trim()).append('\n');
                stream(safe.trim());
            } else {
                described = true;
                return Event.INPUT_DESCRIBED;
            }
        }
        return Event.NOTHING;
    }

    private void stream(String line) {
        Matcher stream = STREAM.matcher(line);
        if (!stream.matches()) {
            return;
        }
        streams.add(stream.group(1) + ": " + stream.group(2));
        if (stream.group(1).equals("Video") && videoCodec == null) {
            videoCodec = stream.group(2).toLowerCase(Locale.ROOT);
            Matcher size = SIZE.matcher(stream.group(3));
            if (size.find()) {
                resolution = size.group(1) + "x" + size.group(2);
            }
        } else if (stream.group(1).equals("Audio") && audioCodec == null) {
            audioCodec = stream.group(2).toLowerCase(Locale.ROOT);
        }
    }

    /** The stream name the publisher asked for, or null: compare it with the key, never log it. */
    String publishedName() {
        return publishedName;
    }

    /** True once a publisher's streams were described. */
    boolean described() {
        return described;
    }

    /** True when the log shows that a client connected (whatever came of it). */
    boolean sawConnection() {
        return sawConnection;
    }

    /** True when ffmpeg could not listen on its port. */
    boolean bindFailed() {
        return bindFailed;
    }

    /** The publisher's input as ffmpeg describes it, without the URL (which would carry the stream name). */
    String input() {
        return input == null ? "" : input.toString().trim();
    }

    /** The video codec (ffmpeg's name: h264, hevc...), or null for an audio-only stream. */
    String videoCodec() {
        return videoCodec;
    }

    /** The audio codec (ffmpeg's name: aac, mp3...), or null for a video-only stream. */
    String audioCodec() {
        return audioCodec;
    }

    /** The video's size, e.g. {@code 1280x720}, or null. */
    String resolution() {
        return resolution;
    }

    List<String> tail() {
        return List.copyOf(tail);
    }
}
