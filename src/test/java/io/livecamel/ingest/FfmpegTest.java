package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegTest {

    @Test
    void theBundledFfmpegRuns() {
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        assertTrue(Files.isExecutable(ffmpeg.executable()));
        assertTrue(ffmpeg.version().matches("\\d.*"), ffmpeg.version());
    }

    @Test
    void aPathThatDoesNotExistIsRefusedByName() {
        InvalidOptionException error = assertThrows(InvalidOptionException.class,
                () -> Ffmpeg.locate(Optional.of("/no/such/ffmpeg")));
        assertTrue(error.getMessage().startsWith("Invalid option ffmpegPath='/no/such/ffmpeg' of the hls-ingest component: cannot run it"),
                error.getMessage());
    }

    @Test
    void aProgramThatIsNotFfmpegIsRefused(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("ffmpeg");
        Files.writeString(fake, "#!/bin/sh\necho hello\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        InvalidOptionException error = assertThrows(InvalidOptionException.class,
                () -> Ffmpeg.locate(Optional.of(fake.toString())));
        assertEquals("Invalid option ffmpegPath='" + fake + "' of the hls-ingest component: this is not a working ffmpeg "
                + "(exit code 3)",
                error.getMessage());
    }
}
