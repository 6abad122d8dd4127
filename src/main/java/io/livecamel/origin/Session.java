package io.livecamel.origin;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publishing session's id and the names of its files. Every session gets a new id, and its segments carry it
 * ({@code 20261123-200512123-k3f9-00042.ts}), so no segment name is ever reused and no cache can mix two
 * sessions' video. Ids sort in the order sessions started.
 */
public final class Session {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS");
    private static final Pattern SEGMENT = Pattern.compile("(.+)-(\\d+)\\.ts");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Session() {
    }

    public static String newId() {
        StringBuilder id = new StringBuilder(STAMP.format(ZonedDateTime.now(ZoneOffset.UTC))).append('-');
        for (int i = 0; i < 4; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return id.toString();
    }

    /** The file-name pattern ffmpeg numbers a session's segments with. */
    public static String segmentPattern(String session) {
        return session + "-%05d.ts";
    }

    public static String playlistFile(String session) {
        return session + ".m3u8";
    }

    /** The session a segment file belongs to. */
    public static String ofSegment(String fileName) {
        Matcher matcher = SEGMENT.matcher(fileName);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a segment file name: " + fileName);
        }
        return matcher.group(1);
    }

    /** A segment's number in its session (it outgrows five digits after 27 hours of 1-s segments). */
    public static long sequenceOf(String fileName) {
        Matcher matcher = SEGMENT.matcher(fileName);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a segment file name: " + fileName);
        }
        return Long.parseLong(matcher.group(2));
    }

    /** The session a playlist file belongs to. */
    public static String ofPlaylist(String fileName) {
        if (!fileName.endsWith(".m3u8")) {
            throw new IllegalArgumentException("not a playlist file name: " + fileName);
        }
        return fileName.substring(0, fileName.length() - ".m3u8".length());
    }

    public static boolean isSegmentOf(String fileName, String session) {
        Matcher matcher = SEGMENT.matcher(fileName);
        return matcher.matches() && matcher.group(1).equals(session);
    }

    /** True for every file ffmpeg writes for the session, temporary ones included. */
    public static boolean owns(String fileName, String session) {
        return fileName.startsWith(session + "-") || fileName.startsWith(session + ".m3u8");
    }
}
