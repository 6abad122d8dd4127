package io.livecamel.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small filesystem of its own: a tmpfs with a size limit, mounted on a folder by the test and removed after it.
 * Mounting needs root (or CAP_SYS_ADMIN); where it cannot be done, the test is skipped with the reason printed.
 * The disk can be filled up to a few megabytes, freed, and made read-only and writable again.
 */
public final class SmallDisk implements AutoCloseable {

    private static final long MB = 1024 * 1024;

    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code sizeMb} on {@code mountPoint}, or skips the test saying why it cannot. */
    public static SmallDisk mount(Path mountPoint, int sizeMb) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + sizeMb + "m", "tmpfs", mountPoint.toString());
        if (failure != null) {
            System.out.println("SKIPPED: a small filesystem cannot be mounted here (needs root or CAP_SYS_ADMIN): "
                    + failure);
        }
        assumeTrue(failure == null, "a small filesystem cannot be mounted here: " + failure);
        return new SmallDisk(mountPoint);
    }

    /** Fills the disk until {@code leftMb} megabytes are free (a file of its own, outside the channels' folders). */
    public void fillLeaving(long leftMb) throws IOException {
        long free = Files.getFileStore(mountPoint).getUsableSpace();
        try (RandomAccessFile filler = new RandomAccessFile(mountPoint.resolve("filler").toFile(), "rw")) {
            byte[] block = new byte[(int) MB];
            long toWrite = Math.max(0, free - leftMb * MB);
            for (long written = 0; written < toWrite; written += block.length) {
                filler.write(block, 0, (int) Math.min(block.length, toWrite - written));
            }
        }
    }

    public void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve("filler"));
    }

    public void readOnly(boolean readOnly) throws IOException, InterruptedException {
        String failure = run("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), mountPoint.toString());
        if (failure != null) {
            throw new IOException("cannot remount " + mountPoint + ": " + failure);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : output + " (exit " + process.exitValue() + ")";
    }
}
