package io.livecamel.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.livecamel.origin.Session;
import io.livecamel.settings.Channel;
import io.livecamel.settings.StreamingSettings;

/**
 * The ffmpeg command line of one listener: accept one publisher on the channel's RTMP port (or SRT port) and write
 * its stream, unchanged ({@code -c copy}), as HLS into the channel's folder, named after the session.
 */
public final class IngestCommand {

    /** How publishers reach the channel. */
    public enum Protocol {
        /** The key is the stream name, which ffmpeg does not check: the application does. */
        RTMP,
        /** The key is the SRT passphrase: the encryption itself refuses a wrong key. */
        SRT
    }

    /** A connection that sends nothing is dropped after this long (the wait for a first connection is not). */
    static final long READ_TIMEOUT_MICROS = 5_000_000;

    private final Ffmpeg ffmpeg;
    private final Channel channel;
    private final Path folder;
    private final double hlsTime;
    private final int listSize;
    private final Protocol protocol;

    IngestCommand(Ffmpeg ffmpeg, StreamingSettings settings, Channel channel, Protocol protocol) {
        this.ffmpeg = ffmpeg;
        this.channel = channel;
        this.folder = settings.mediaDir().resolve(channel.name());
        this.hlsTime = settings.hlsTime();
        this.listSize = settings.hlsListSize();
        this.protocol = protocol;
        if (protocol == Protocol.SRT && channel.srtPort().isEmpty()) {
            throw new IllegalArgumentException("channel " + channel.name() + " has no SRT port");
        }
    }

    /** The ffmpeg executable the listeners run. */
    public Path executable() {
        return ffmpeg.executable();
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The port publishers connect to: TCP for RTMP, UDP for SRT. */
    public int port() {
        return protocol == Protocol.SRT ? channel.srtPort().getAsInt() : channel.port();
    }

    private String input(String expected) {
        return switch (protocol) {
            case RTMP -> "rtmp://0.0.0.0:" + port() + "/live/" + expected;
            case SRT -> "srt://0.0.0.0:" + port() + "?mode=listener&pbkeylen=16&passphrase=" + channel.key();
        };
    }

    public Channel channel() {
        return channel;
    }

    public Path folder() {
        return folder;
    }

    /**
     * The command for one connection of a session. Over RTMP, ffmpeg expects the stream name {@code expected}, a
     * random name and not the key (so that the key is not in the process list), but accepts any name and logs it;
     * the application compares that name with the key. Over SRT the key is the passphrase (and is in the process
     * list: ffmpeg takes it on its command line).
     */
    List<String> forConnection(String session, int connection, String expected) {
        Path playlist = folder.resolve(Session.playlistFile(session));
        // append_list only onto a playlist of the session: on a new one ffmpeg would open with a discontinuity
        String flags = "temp_file+program_date_time+independent_segments"
                + (Files.isRegularFile(playlist) ? "+append_list" : "");
        List<String> arguments = new java.util.ArrayList<>(List.of("-rw_timeout", Long.toString(READ_TIMEOUT_MICROS)));
        if (protocol == Protocol.RTMP) {
            arguments.addAll(List.of("-listen", "1"));
        }
        arguments.addAll(List.of(
                "-i", input(expected),
                "-c", "copy",
                "-f", "hls",
                "-hls_time", String.format(Locale.ROOT, "%s", hlsTime),
                "-hls_list_size", Integer.toString(listSize),
                // temp_file: a segment appears under its name only when complete; no delete_segments: the
                // origin deletes a local segment once it is uploaded and out of the window; append_list: a
                // publisher that comes back continues the session's playlist after an #EXT-X-DISCONTINUITY
                "-hls_flags", flags,
                "-hls_segment_filename", folder.resolve(Session.segmentPattern(session, connection)).toString(),
                playlist.toString()));
        return ffmpeg.command(arguments);
    }
}
