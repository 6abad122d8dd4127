package io.livecamel.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ffmpeg executable: the one the component's {@code ffmpegPath} names, or else the static Linux x86-64 build
 * that comes from Maven inside {@code ws.schild:jave-nativebin-linux64}, copied once to a cache folder.
 * (The {@code org.bytedeco:ffmpeg} build needs the system library libpulse.so.0, which a fresh server lacks.)
 */
public final class Ffmpeg {

    static final String BUNDLED_RESOURCE = "ws/schild/jave/nativebin/ffmpeg-amd64";
    static final String OPTION = "ffmpegPath";

    private final Path executable;
    private final String version;
    private final boolean bundled;

    private Ffmpeg(Path executable, String version, boolean bundled) {
        this.executable = executable;
        this.version = version;
        this.bundled = bundled;
    }

    /** Finds ffmpeg and checks that it runs, or fails naming the option {@code ffmpegPath}. */
    public static Ffmpeg locate(Optional<String> configured) {
        Path executable = configured.map(Path::of).orElseGet(Ffmpeg::unpackBundled);
        String shown = configured.orElse(executable.toString());
        try {
            Process process = new ProcessBuilder(executable.toString(), "-hide_banner", "-version")
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readAllBytes());
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new InvalidOptionException(OPTION, shown, "ffmpeg -version did not answer in 20 s");
            }
            if (process.exitValue() != 0 || !output.startsWith("ffmpeg version")) {
                throw new InvalidOptionException(OPTION, shown, "this is not a working ffmpeg (exit code "
                        + process.exitValue() + ")");
            }
            return new Ffmpeg(executable, output.split("\\s+")[2], configured.isEmpty());
        } catch (IOException e) {
            throw new InvalidOptionException(OPTION, shown, "cannot run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking ffmpeg", e);
        }
    }

    private static Path unpackBundled() {
        ClassLoader loader = Ffmpeg.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new InvalidOptionException(OPTION, "", "not set, and the bundled ffmpeg "
                        + "(ws.schild:jave-nativebin-linux64) is not on the class path");
            }
            Path cache = Path.of(System.getProperty("user.home"), ".cache", "live-streaming");
            Files.createDirectories(cache);
            long size = loader.getResource(BUNDLED_RESOURCE).openConnection().getContentLengthLong();
            Path target = cache.resolve("ffmpeg-" + size);
            if (!Files.isExecutable(target) || Files.size(target) != size) {
                Path partial = Files.createTempFile(cache, "ffmpeg", ".part");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack the bundled ffmpeg: " + e.getMessage(), e);
        }
    }

    public Path executable() {
        return executable;
    }

    public String version() {
        return version;
    }

    /** True for the static build from Maven: its SRT listener crashes when a caller connects (checked: 4.4.1). */
    public boolean bundled() {
        return bundled;
    }

    /** Why this ffmpeg cannot take SRT publishers, if it cannot. */
    public Optional<String> srtUnsupported() {
        return bundled ? Optional.of("needs an ffmpeg with a working SRT listener: the bundled static ffmpeg "
                + version + " crashes when an SRT publisher connects. Set streaming.ffmpeg.path (the component's "
                + "ffmpegPath) to another ffmpeg (Debian's: apt-get install ffmpeg, then /usr/bin/ffmpeg)")
                : Optional.empty();
    }

    /**
     * True when this ffmpeg reads HEVC from Enhanced RTMP's FLV (FFmpeg 6.1 and later; the bundled 4.4.1 and
     * Debian 12's 5.1 do not). A version it cannot read (a git build) counts as able.
     */
    public boolean readsEnhancedHevc() {
        java.util.regex.Matcher release = java.util.regex.Pattern.compile("n?(\\d+)\\.(\\d+).*").matcher(version);
        if (!release.matches()) {
            return true;
        }
        int major = Integer.parseInt(release.group(1));
        return major > 6 || major == 6 && Integer.parseInt(release.group(2)) >= 1;
    }

    /** A command line that starts with this ffmpeg and quiet, parseable logging. */
    public List<String> command(List<String> arguments) {
        List<String> command = new java.util.ArrayList<>(List.of(executable.toString(),
                "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"));
        command.addAll(arguments);
        return command;
    }
}
