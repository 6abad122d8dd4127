package io.livecamel.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.livecamel.origin.Session;
import io.livecamel.settings.Channel;
import io.livecamel.settings.StreamingSettings;

/**
 * The ffmpeg command line of one listening session: accept one RTMP publisher on the channel's port and
 * write its stream, unchanged ({@code -c copy}), as HLS into the channel's folder, named after the session.
 */
public final class IngestCommand {

    /** A connection that sends nothing is dropped after this long (the wait for a first connection is not). */
    static final long READ_TIMEOUT_MICROS = 5_000_000;

    private final Ffmpeg ffmpeg;
    private final Channel channel;
    private final Path folder;
    private final double hlsTime;
    private final int listSize;

    IngestCommand(Ffmpeg ffmpeg, StreamingSettings settings, Channel channel) {
        this.ffmpeg = ffmpeg;
        this.channel = channel;
        this.folder = settings.mediaDir().resolve(channel.name());
        this.hlsTime = settings.hlsTime();
        this.listSize = settings.hlsListSize();
    }

    public Channel channel() {
        return channel;
    }

    public Path folder() {
        return folder;
    }

    /**
     * The command for one connection of a session. ffmpeg expects the stream name {@code expected}, a random name
     * and not the key (so that the key is not in the process list), but accepts any name and logs it; the
     * application compares that name with the key.
     */
    List<String> forConnection(String session, int connection, String expected) {
        Path playlist = folder.resolve(Session.playlistFile(session));
        // append_list only onto a playlist of the session: on a new one ffmpeg would open with a discontinuity
        String flags = "temp_file+program_date_time+independent_segments"
                + (Files.isRegularFile(playlist) ? "+append_list" : "");
        return ffmpeg.command(List.of(
                "-rw_timeout", Long.toString(READ_TIMEOUT_MICROS),
                "-listen", "1",
                "-i", "rtmp://0.0.0.0:" + channel.port() + "/live/" + expected,
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
    }
}
