package io.livecamel.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Destination URLs: what they push to, and a name that never shows the key. */
class RtmpUrlTest {

    @Test
    void theLastPathElementIsTheKeyAndTheRestTheApplication() {
        RtmpUrl youtube = RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl");
        assertEquals("a.rtmp.youtube.com", youtube.host());
        assertEquals(1935, youtube.port());
        assertFalse(youtube.tls());
        assertEquals("live2", youtube.app());
        assertEquals("abcd-efgh-ijkl", youtube.streamName());
        assertEquals("rtmp://a.rtmp.youtube.com/live2", youtube.tcUrl());
        RtmpUrl facebook = RtmpUrl.parse("rtmps://live-api-s.facebook.com:443/rtmp/FB-1-2?s_bl=1&a=b");
        assertTrue(facebook.tls());
        assertEquals(443, facebook.port());
        assertEquals("rtmp", facebook.app());
        assertEquals("FB-1-2?s_bl=1&a=b", facebook.streamName(), "the query goes with the key");
        assertEquals("rtmps://live-api-s.facebook.com/rtmp", facebook.tcUrl());
        RtmpUrl nested = RtmpUrl.parse("rtmp://10.0.0.5:1936/app/inner/key");
        assertEquals("app/inner", nested.app());
        assertEquals("rtmp://10.0.0.5:1936/app/inner", nested.tcUrl());
        assertEquals(443, RtmpUrl.parse("rtmps://host/app/key").port());
    }

    @Test
    void aDestinationIsNamedByItsHostAndAShortHashNeverItsKey() {
        RtmpUrl one = RtmpUrl.parse("rtmp://live.twitch.tv/app/live_123_secret");
        RtmpUrl other = RtmpUrl.parse("rtmp://live.twitch.tv/app/live_456_secret");
        assertTrue(one.name().matches("live\\.twitch\\.tv#[0-9a-f]{6}"), one.name());
        assertNotEquals(one.name(), other.name(), "two keys on one host are two destinations");
        assertEquals(one.name(), one.toString());
        assertFalse(one.toString().contains("secret"));
        assertEquals("the server said <key> is wrong", one.redact("the server said live_123_secret is wrong"));
    }

    @Test
    void aBadUrlIsRefusedWithoutQuotingIt() {
        for (String bad : new String[] {"", "http://host/app/secret-1", "rtmp://host/secret-2", "rtmp://host/app/",
            "rtmp://user:secret-3@host/app/key", "rtmp://host/app/secret 4", "rtmp:///app/secret-5"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(bad),
                    bad);
            assertFalse(error.getMessage().contains("secret"), error.getMessage());
        }
    }
}
