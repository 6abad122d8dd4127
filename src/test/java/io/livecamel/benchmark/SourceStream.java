package io.livecamel.benchmark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;

/**
 * What every benchmark publisher sends: a 1280x720, 25 fps, 1-s-GOP H.264 (no B-frames) and AAC file at about
 * 2.5 Mbit/s, encoded once and kept under target/, read into memory as FLV tags. Each keyframe carries an extra SEI
 * NAL unit (user data, {@link #MARKER} followed by the frame's timestamp in ASCII digits) that {@code -c copy} keeps:
 * the segment a keyframe starts can then be told from its bytes alone, whichever system cut it.
 */
final class SourceStream {

    /** The user-data UUID of the stamp: no zero bytes, so no emulation prevention is needed. */
    static final byte[] MARKER = "live-camel-frame".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = 9;

    /** An FLV tag: its type (8 audio, 9 video, 18 data), timestamp in ms and body. */
    record Tag(int type, int timestamp, byte[] body, boolean keyframe) {
    }

    private final List<Tag> tags;

    private SourceStream(List<Tag> tags) {
        this.tags = tags;
    }

    List<Tag> tags() {
        return tags;
    }

    /** The keyframes' timestamps, in order: where each segment can start. */
    List<Integer> keyframes() {
        return tags.stream().filter(Tag::keyframe).map(Tag::timestamp).toList();
    }

    int lastTimestamp() {
        return tags.get(tags.size() - 1).timestamp();
    }

    /** The file for {@code seconds} of stream, encoded with the bundled ffmpeg the first time. */
    static SourceStream of(int seconds) throws IOException, InterruptedException {
        Path file = Path.of("target", "benchmark-source-720p-" + seconds + "s-nobf.flv").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Process encode = new ProcessBuilder(Ffmpeg.locate(Optional.empty()).command(List.of(
                    "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-bf", "0",
                    "-b:v", "2400k", "-maxrate", "2500k", "-bufsize", "2500k",
                    "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                    "-c:a", "aac", "-b:a", "128k", "-f", "flv", "-y", partial.toString())))
                    .redirectErrorStream(true).start();
            String output = new String(encode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!encode.waitFor(10, TimeUnit.MINUTES) || encode.exitValue() != 0) {
                throw new IllegalStateException("encoding the benchmark source failed:\n" + output);
            }
            Files.move(partial, file);
        }
        return new SourceStream(stamped(read(Files.readAllBytes(file))));
    }

    /** The tags of an FLV file. */
    static List<Tag> read(byte[] flv) {
        ByteBuffer in = ByteBuffer.wrap(flv);
        if (flv.length < 13 || flv[0] != 'F' || flv[1] != 'L' || flv[2] != 'V') {
            throw new IllegalArgumentException("not an FLV file");
        }
        in.position(in.getInt(5) + 4);
        List<Tag> tags = new ArrayList<>();
        while (in.remaining() >= 11) {
            int type = in.get() & 0x1F;
            int size = medium(in);
            int timestamp = medium(in) | (in.get() & 0xFF) << 24;
            medium(in); // stream id
            byte[] body = new byte[size];
            in.get(body);
            in.getInt(); // previous tag size
            boolean keyframe = type == 9 && size > 1 && (body[0] & 0xF0) == 0x10 && body[1] == 1;
            tags.add(new Tag(type, timestamp, body, keyframe));
        }
        return tags;
    }

    /** An FLV file of {@code tags} (audio and video flagged). */
    static byte[] flv(List<Tag> tags) {
        int size = 13 + tags.stream().mapToInt(tag -> 15 + tag.body().length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9}).putInt(0);
        for (Tag tag : tags) {
            int length = tag.body().length;
            out.put((byte) tag.type()).put((byte) (length >> 16)).put((byte) (length >> 8)).put((byte) length)
                    .put((byte) (tag.timestamp() >> 16)).put((byte) (tag.timestamp() >> 8)).put((byte) tag.timestamp())
                    .put((byte) (tag.timestamp() >> 24)).put(new byte[3]).put(tag.body()).putInt(11 + length);
        }
        return out.array();
    }

    private static int medium(ByteBuffer in) {
        return (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF;
    }

    /** The tags with a stamp NAL unit put first in every keyframe (AVC with 4-byte NAL lengths, as x264 writes). */
    static List<Tag> stamped(List<Tag> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            if (tag.type() == 9 && tag.body().length > 9 && tag.body()[1] == 0 && (tag.body()[9] & 3) != 3) {
                throw new IllegalStateException("the source's NAL lengths are not 4 bytes");
            }
            if (!tag.keyframe()) {
                out.add(tag);
                continue;
            }
            byte[] nal = stampNal(tag.timestamp());
            ByteBuffer body = ByteBuffer.allocate(tag.body().length + 4 + nal.length);
            body.put(tag.body(), 0, 5).putInt(nal.length).put(nal).put(tag.body(), 5, tag.body().length - 5);
            out.add(new Tag(tag.type(), tag.timestamp(), body.array(), true));
        }
        return out;
    }

    /** SEI, user_data_unregistered: the marker, the timestamp in ASCII digits, the RBSP stop bit. */
    static byte[] stampNal(int timestamp) {
        byte[] digits = String.format(Locale.ROOT, "%0" + DIGITS + "d", timestamp).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer nal = ByteBuffer.allocate(3 + MARKER.length + DIGITS + 1);
        nal.put((byte) 0x06).put((byte) 5).put((byte) (MARKER.length + DIGITS)).put(MARKER).put(digits)
                .put((byte) 0x80);
        return nal.array();
    }

    /**
     * The timestamp stamped in the first keyframe of an MPEG-TS segment, or -1 if none: the marker is looked for
     * in the video elementary stream, so TS packet boundaries inside it do not matter.
     */
    static int stampOf(byte[] ts) {
        byte[] stream = videoStart(ts, 64 * 1024);
        int at = indexOf(stream, MARKER);
        if (at < 0 || at + MARKER.length + DIGITS > stream.length) {
            return -1;
        }
        return Integer.parseInt(new String(stream, at + MARKER.length, DIGITS, StandardCharsets.US_ASCII));
    }

    /** Up to {@code limit} bytes of the PES payloads of the segment's video stream (PES stream id 0xE0). */
    private static byte[] videoStart(byte[] ts, int limit) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int videoPid = -1;
        for (int p = 0; p + 188 <= ts.length && out.size() < limit; p += 188) {
            if (ts[p] != 0x47) {
                break;
            }
            boolean start = (ts[p + 1] & 0x40) != 0;
            int pid = (ts[p + 1] & 0x1F) << 8 | ts[p + 2] & 0xFF;
            int adaptation = (ts[p + 3] >> 4) & 3;
            int payload = p + 4 + (adaptation >= 2 ? 1 + (ts[p + 4] & 0xFF) : 0);
            if ((adaptation & 1) == 0 || payload >= p + 188) {
                continue;
            }
            if (start && ts[payload] == 0 && ts[payload + 1] == 0 && ts[payload + 2] == 1
                    && (ts[payload + 3] & 0xF0) == 0xE0) {
                videoPid = pid;
                payload += 9 + (ts[payload + 8] & 0xFF);
            }
            if (pid == videoPid && payload < p + 188) {
                out.write(ts, payload, p + 188 - payload);
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
