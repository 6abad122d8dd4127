package io.livecamel.hls;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A session's id and the names of its files. A session is one stream as viewers see it: it starts when a publisher
 * goes live and ends when no publisher has come back within the reconnect grace, so it may span several
 * connections of the publisher (numbered from 1). Segment names carry both
 * ({@code 20261123-200512123-k3f9-2-00042.ts}: session, connection, number), so no segment name is ever reused and no
 * cache can mix two sessions' video. Session ids sort in the order sessions started.
 */
public final class Session {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("\\d{8}-\\d{9}-[0-9a-z]{4}");

    private Session() {
    }

    public static String newId() {
        StringBuilder id = new StringBuilder(STAMP.format(ZonedDateTime.now(ZoneOffset.UTC))).append('-');
        for (int i = 0; i < 4; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return id.toString();
    }

    /** True for a session id as {@link #newId} makes them. */
    public static boolean isId(String text) {
        return ID.matcher(text).matches();
    }

    /** The id of one connection of a session: the prefix of the segments it writes. */
    public static String connectionId(String session, int connection) {
        return session + "-" + connection;
    }

    /** The file-name pattern ffmpeg numbers a connection's segments with. */
    public static String segmentPattern(String session, int connection) {
        return connectionId(session, connection) + "-%05d.ts";
    }

    /** The session's playlist file: one for all its connections (ffmpeg appends to it on a reconnect). */
    public static String playlistFile(String session) {
        return session + ".m3u8";
    }

    /**
     * A segment file name split as {@code <session>-<connection>-<number>.ts}, or {@code null}: the last two
     * {@code -digits} before {@code .ts} (what the pattern {@code (.+)-(\d+)-(\d+)\.ts} matches), without a
     * regular expression, since it runs for every file of a channel's folder on every segment.
     */
    private record SegmentName(String session, String connection, String number) {

        static SegmentName of(String fileName) {
            if (!fileName.endsWith(".ts")) {
                return null;
            }
            int end = fileName.length() - ".ts".length();
            int last = fileName.lastIndexOf('-', end - 1);
            int before = last > 0 ? fileName.lastIndexOf('-', last - 1) : -1;
            if (before < 1 || !digits(fileName, last + 1, end) || !digits(fileName, before + 1, last)) {
                return null;
            }
            return new SegmentName(fileName.substring(0, before), fileName.substring(before + 1, last),
                    fileName.substring(last + 1, end));
        }

        private static boolean digits(String text, int from, int to) {
            if (from >= to) {
                return false;
            }
            for (int i = from; i < to; i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }

    private static SegmentName segment(String fileName) {
        SegmentName name = SegmentName.of(fileName);
        if (name == null) {
            throw new IllegalArgumentException("not a segment file name: " + fileName);
        }
        return name;
    }

    /** The session a segment file belongs to. */
    public static String ofSegment(String fileName) {
        return segment(fileName).session();
    }

    /** The connection (its id) that wrote a segment file. */
    public static String connectionOf(String fileName) {
        SegmentName name = segment(fileName);
        return connectionId(name.session(), Integer.parseInt(name.connection()));
    }

    /** A segment's number in its session (it outgrows five digits after 27 hours of 1-s segments). */
    public static long sequenceOf(String fileName) {
        return Long.parseLong(segment(fileName).number());
    }

    /** The session a playlist file belongs to. */
    public static String ofPlaylist(String fileName) {
        if (!fileName.endsWith(".m3u8")) {
            throw new IllegalArgumentException("not a playlist file name: " + fileName);
        }
        return fileName.substring(0, fileName.length() - ".m3u8".length());
    }

    /** True for the name of a finished segment (not a temporary file). */
    public static boolean isSegment(String fileName) {
        return SegmentName.of(fileName) != null;
    }

    public static boolean isSegmentOf(String fileName, String session) {
        SegmentName name = SegmentName.of(fileName);
        return name != null && name.session().equals(session);
    }

    /** The list of every segment ffmpeg listed in the session: its recording, as it grows. */
    public static String recordingFile(String session) {
        return session + ".vod";
    }

    /** True for every file written for the session (ffmpeg's, temporary ones included, and its recording's). */
    public static boolean owns(String fileName, String session) {
        return fileName.startsWith(session + "-") || fileName.startsWith(session + ".");
    }

    /**
     * The session of a segment file named the way this application names them ({@link #newId}), finished or still
     * being written ({@code .ts.tmp}); {@code null} for any other file.
     */
    public static String ofSegmentFile(String fileName) {
        SegmentName name = SegmentName.of(finished(fileName));
        return name != null && isId(name.session()) ? name.session() : null;
    }

    /**
     * The connection that wrote a segment file of a session, finished or still being written, or 0 for another
     * file (the playlist, another session's).
     */
    public static int connectionNumber(String fileName, String session) {
        SegmentName name = SegmentName.of(finished(fileName));
        return name != null && name.session().equals(session) ? Integer.parseInt(name.connection()) : 0;
    }

    /** The name a segment file has once ffmpeg has finished it (it writes {@code <name>.tmp} first). */
    private static String finished(String fileName) {
        return fileName.endsWith(".tmp") ? fileName.substring(0, fileName.length() - ".tmp".length()) : fileName;
    }

    /** When a session started, from its id. */
    public static Instant startedAt(String session) {
        return LocalDateTime.parse(session.substring(0, "yyyyMMdd-HHmmssSSS".length()), STAMP)
                .toInstant(ZoneOffset.UTC);
    }

    /** True for every segment file, temporary ones included, that one connection of a session wrote. */
    public static boolean ownedByConnection(String fileName, String session, int connection) {
        return fileName.startsWith(connectionId(session, connection) + "-");
    }
}
