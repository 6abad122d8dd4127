package io.livecamel.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A viewer that is quicker than any real one: it reads a playlist at the origin every {@code interval} and at once
 * asks for every segment the playlist lists that it has not seen before, as a player would. A listed segment that
 * answers 404 is a violation of RFC 8216 §6.2.1 (the seed system had 6 in 39 playlist versions). It also notes
 * when each segment was first listed, for latency figures.
 */
public final class OriginPoller implements AutoCloseable {

    private static final HttpClient SHARED = HttpClient.newHttpClient();
    private static final Pattern NUMBERED = Pattern.compile("(.+)-(\\d+)\\.ts");

    private final URI playlist;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> firstListedNanos = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> versions = ConcurrentHashMap.newKeySet();
    private final List<Version> history = new CopyOnWriteArrayList<>();
    /** The sessions whose playlist was read with #EXT-X-ENDLIST. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int reads;
    private volatile int liveVersions;
    private volatile long firstEndListNanos;
    private volatile String lastRead;

    public OriginPoller(URI playlist, Duration interval) {
        this.playlist = playlist;
        this.interval = interval;
        thread = new Thread(this::run, "origin-poller");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                poll();
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                violations.add("cannot read " + playlist + ": " + e);
            }
        }
    }

    private void poll() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(playlist).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        reads++;
        if (response.statusCode() == 404) {
            return; // nothing published yet
        }
        if (response.statusCode() != 200) {
            violations.add("playlist answered " + response.statusCode());
            return;
        }
        long listedAt = System.nanoTime();
        String body = response.body();
        boolean live = !body.contains("#EXT-X-ENDLIST");
        // before the version is in the history, so a reader that found a segment there also finds when it was listed
        for (String segment : segments(body)) {
            firstListedNanos.putIfAbsent(segment, listedAt);
        }
        boolean newVersion = versions.add(body);
        if (newVersion && live && !segments(body).isEmpty()) {
            liveVersions++;
        }
        if (firstEndListNanos == 0 && !live) {
            firstEndListNanos = listedAt;
        }
        String back = backwards(lastRead, body);
        if (back != null) {
            violations.add("the playlist went back: " + back);
        }
        String sequence = sequenceBack(lastRead, body);
        if (sequence != null) {
            violations.add(sequence);
        }
        if (newVersion) {
            history.add(new Version(listedAt, System.currentTimeMillis(), body));
        }
        lastRead = body;
        String gap = gap(segments(body));
        if (gap != null) {
            violations.add("the playlist skips a segment: " + gap + "; playlist:\n" + body);
        }
        for (String segment : segments(body)) {
            if (present.contains(segment)) {
                continue;
            }
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(playlist.resolve(segment))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (head.statusCode() == 200) {
                present.add(segment);
            } else {
                violations.add("the playlist listed " + segment + " but the origin answered " + head.statusCode()
                        + " for it; playlist:\n" + body);
            }
        }
    }

    /** A playlist version as first read: when ({@link System#nanoTime()}, and wall-clock ms) and its text. */
    public record Version(long readNanos, long readMillis, String text) {
    }

    /**
     * Within one session (the id its segment names start with), the media sequence going back, or the session live
     * again after a playlist that ended it; null when neither.
     */
    private String sequenceBack(String older, String newer) {
        String session = sessionOf(newer);
        if (session == null) {
            return null;
        }
        if (newer.contains("#EXT-X-ENDLIST")) {
            ended.add(session);
        } else if (ended.contains(session)) {
            return "session " + session + " is live again after a playlist that ended it:\n" + newer;
        }
        if (older != null && session.equals(sessionOf(older)) && mediaSequence(newer) < mediaSequence(older)) {
            return "the media sequence went back from " + mediaSequence(older) + " to " + mediaSequence(newer)
                    + ":\n" + newer;
        }
        return null;
    }

    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern SESSION = Pattern.compile("(\\d{8}-\\d{9}-[0-9a-z]{4})-\\d+-\\d+\\.ts");

    private static long mediaSequence(String playlist) {
        Matcher matcher = SEQUENCE.matcher(playlist);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static String sessionOf(String playlist) {
        List<String> segments = segments(playlist);
        Matcher matcher = segments.isEmpty() ? null : SESSION.matcher(segments.get(0));
        return matcher != null && matcher.matches() ? matcher.group(1) : null;
    }

    /** Every playlist version read, in the order first read. */
    public List<Version> history() {
        return List.copyOf(history);
    }

    /** Two neighbours of one session whose numbers are not consecutive, or null. */
    static String gap(List<String> segments) {
        for (int i = 1; i < segments.size(); i++) {
            Matcher previous = NUMBERED.matcher(segments.get(i - 1));
            Matcher next = NUMBERED.matcher(segments.get(i));
            if (previous.matches() && next.matches() && previous.group(1).equals(next.group(1))
                    && Long.parseLong(next.group(2)) != Long.parseLong(previous.group(2)) + 1) {
                return segments.get(i - 1) + " is followed by " + segments.get(i);
            }
        }
        return null;
    }

    /**
     * What a newer read lost of an older one of the same segment series: its last segment went away while the
     * series goes on (a viewer would see an older playlist after a newer one), or null. A new session or
     * connection (another name prefix) is not going back.
     */
    public static String backwards(String older, String newer) {
        if (older == null) {
            return null;
        }
        List<String> before = segments(older);
        List<String> after = segments(newer);
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        Matcher last = NUMBERED.matcher(before.get(before.size() - 1));
        Matcher now = NUMBERED.matcher(after.get(after.size() - 1));
        if (last.matches() && now.matches() && last.group(1).equals(now.group(1))
                && Long.parseLong(now.group(2)) < Long.parseLong(last.group(2))) {
            return before.get(before.size() - 1) + " was listed, then only up to " + after.get(after.size() - 1);
        }
        return null;
    }

    /** What the origin answers for a playlist now: its text, or "" when it has none (or does not answer). */
    public static String read(URI playlist) {
        try {
            HttpResponse<String> response = SHARED.send(HttpRequest.newBuilder(playlist).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The segment URIs a playlist lists. */
    public static List<String> segments(String playlist) {
        List<String> segments = new ArrayList<>();
        for (String line : playlist.split("\r?\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                segments.add(line.trim());
            }
        }
        return segments;
    }

    /** The last playlist read, or null. */
    public String lastRead() {
        return lastRead;
    }

    /** When a playlist with #EXT-X-ENDLIST was first read, in {@link System#nanoTime()}, or 0. */
    public long firstEndListNanos() {
        return firstEndListNanos;
    }

    public List<String> violations() {
        return violations;
    }

    /** How many different live playlist versions (listing a segment, without an end marker) were read. */
    public int liveVersionsSeen() {
        return liveVersions;
    }

    /** How many different playlist versions were read. */
    public int versionsSeen() {
        return versions.size();
    }

    public int reads() {
        return reads;
    }

    /** When a segment was first seen listed, in {@link System#nanoTime()}, or null. */
    public Long firstListedNanos(String segment) {
        return firstListedNanos.get(segment);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
