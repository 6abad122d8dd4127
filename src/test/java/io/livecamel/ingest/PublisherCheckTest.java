package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;

import io.livecamel.settings.Channel;
import org.junit.jupiter.api.Test;

class PublisherCheckTest {

    private final PublisherCheck check = new PublisherCheck(new Channel("main", "right-key-0123456789", 1935, false));

    @Test
    void onlyTheChannelsKeyIsLetIn() {
        assertEquals(Optional.empty(), check.refuseName("right-key-0123456789"));
        assertEquals(Optional.of("wrong stream key"), check.refuseName("right-key-012345678"));
        assertEquals(Optional.of("wrong stream key"), check.refuseName(""));
        assertEquals(Optional.of("it did not publish under a stream key"), check.refuseName(null));
        assertFalse(check.refuseName("Right-key-0123456789").isEmpty(), "keys are case-sensitive");
    }

    @Test
    void onlyCodecsThatHlsInMpegTsCarriesAreLetIn() {
        assertEquals(Optional.empty(), check.refuseCodecs("h264", "aac"));
        assertEquals(Optional.empty(), check.refuseCodecs("hevc", null));
        assertEquals(Optional.empty(), check.refuseCodecs(null, "mp3"));
        assertEquals(Optional.of("its video codec flv1 cannot be carried in HLS/MPEG-TS without re-encoding "
                + "(use H.264 or HEVC)"), check.refuseCodecs("flv1", "aac"));
        assertEquals(Optional.of("its audio codec nellymoser cannot be carried in HLS/MPEG-TS without re-encoding "
                + "(use AAC)"), check.refuseCodecs("h264", "nellymoser"));
        assertEquals(Optional.of("it sent neither video nor audio"), check.refuseCodecs(null, null));
    }
}
