package io.livecamel.hls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HLS media playlist (RFC 8216) as ffmpeg writes it: header tags, then segments, each with the tags that
 * apply to it ({@code #EXTINF}, {@code #EXT-X-PROGRAM-DATE-TIME}, {@code #EXT-X-DISCONTINUITY}), then maybe
 * {@code #EXT-X-ENDLIST}. Immutable; the origin publishes {@link #upTo(Predicate) cut} versions of it.
 */
public final class Playlist {

    private static final String END_LIST = "#EXT-X-ENDLIST";
    private static final String MEDIA_SEQUENCE = "#EXT-X-MEDIA-SEQUENCE:";
    private static final String TARGET_DURATION = "#EXT-X-TARGETDURATION:";

    /** One media segment: its URI (a file name beside the playlist) and the tag lines before it. */
    public record Segment(String uri, List<String> tags) {

        /** Its duration in seconds, from {@code #EXTINF}, or 0. */
        public double duration() {
            for (String tag : tags) {
                if (tag.startsWith("#EXTINF:")) {
                    String value = tag.substring("#EXTINF:".length());
                    int comma = value.indexOf(',');
                    try {
                        return Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
            return 0;
        }
    }

    private final List<String> header;
    private final List<Segment> segments;
    private final boolean ended;

    private Playlist(List<String> header, List<Segment> segments, boolean ended) {
        this.header = List.copyOf(header);
        this.segments = List.copyOf(segments);
        this.ended = ended;
    }

    public static Playlist parse(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).trim().equals("#EXTM3U")) {
            throw new IllegalArgumentException("not an HLS playlist: it does not start with #EXTM3U");
        }
        List<String> header = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        boolean ended = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals(END_LIST)) {
                ended = true;
            } else if (!line.startsWith("#")) {
                segments.add(new Segment(line, pending));
                pending = new ArrayList<>();
            } else if (segments.isEmpty() && !isSegmentTag(line)) {
                header.add(line);
            } else {
                pending.add(line);
            }
        }
        return new Playlist(header, segments, ended);
    }

    /**
     * A video on demand of {@code segments} ({@code #EXT-X-PLAYLIST-TYPE:VOD}, ended), each URI prefixed with
     * {@code base} (where the segments are seen from the playlist).
     */
    public static Playlist recording(List<Segment> segments, String base) {
        int target = (int) Math.ceil(segments.stream().mapToDouble(Segment::duration).max().orElse(1));
        return new Playlist(List.of("#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-PLAYLIST-TYPE:VOD",
                TARGET_DURATION + Math.max(target, 1), MEDIA_SEQUENCE + "0"),
                segments.stream().map(segment -> new Segment(base + segment.uri(), segment.tags())).toList(), true);
    }

    private static boolean isSegmentTag(String line) {
        return line.startsWith("#EXTINF") || line.startsWith("#EXT-X-PROGRAM-DATE-TIME")
                || line.startsWith("#EXT-X-DISCONTINUITY") && !line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE")
                || line.startsWith("#EXT-X-BYTERANGE") || line.startsWith("#EXT-X-GAP");
    }

    public List<Segment> segments() {
        return Collections.unmodifiableList(segments);
    }

    public boolean ended() {
        return ended;
    }

    public long mediaSequence() {
        return header.stream().filter(l -> l.startsWith(MEDIA_SEQUENCE))
                .mapToLong(l -> Long.parseLong(l.substring(MEDIA_SEQUENCE.length()).trim()))
                .findFirst().orElse(0);
    }

    public int targetDuration() {
        return header.stream().filter(l -> l.startsWith(TARGET_DURATION))
                .mapToInt(l -> Integer.parseInt(l.substring(TARGET_DURATION.length()).trim()))
                .findFirst().orElse(0);
    }

    /** The media sequence number one past the last segment listed: grows with every newer version. */
    public long endSequence() {
        return mediaSequence() + segments.size();
    }

    /**
     * The playlist cut before the first segment that is not available: the version an origin may publish when
     * only the available segments are on it. The end marker survives only when nothing was cut.
     */
    public Playlist upTo(Predicate<String> available) {
        int count = 0;
        while (count < segments.size() && available.test(segments.get(count).uri())) {
            count++;
        }
        return count == segments.size() ? this : new Playlist(header, segments.subList(0, count), false);
    }

    public Playlist withEndList() {
        return ended ? this : new Playlist(header, segments, true);
    }

    public Playlist withoutEndList() {
        return ended ? new Playlist(header, segments, false) : this;
    }

    /** True when this version lists more than {@code other}, or as much and ends where the other does not. */
    public boolean isNewerThan(Playlist other) {
        return other == null || endSequence() > other.endSequence()
                || endSequence() == other.endSequence() && ended && !other.ended;
    }

    /**
     * The Cache-Control of a playlist: a shared cache (a CDN) may keep it for half the target duration, 1 s at least
     * (Cache-Control counts whole seconds), so that one copy serves every viewer who asks meanwhile and the origin
     * sees one request per edge and period, not one per viewer; no viewer gets a copy older than that (one target
     * duration at 1-s segments, half of it from 2 s). Browsers keep nothing ({@code max-age=0}): they would add their
     * own age to the cache's.
     */
    public String cacheControl() {
        return "public, max-age=0, s-maxage=" + Math.max(1, targetDuration() / 2);
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        header.forEach(line -> text.append(line).append('\n'));
        for (Segment segment : segments) {
            segment.tags().forEach(line -> text.append(line).append('\n'));
            text.append(segment.uri()).append('\n');
        }
        if (ended) {
            text.append(END_LIST).append('\n');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
