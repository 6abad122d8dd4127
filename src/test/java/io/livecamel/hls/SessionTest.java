package io.livecamel.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Segment file names: session, connection and number, as {@code <session>-<connection>-<number>.ts}. */
class SessionTest {

    private static final String SESSION = "20261123-200512123-k3f9";

    @Test
    void aSegmentNameTellsItsSessionConnectionAndNumber() {
        String name = SESSION + "-2-00042.ts";
        assertTrue(Session.isSegment(name));
        assertTrue(Session.isSegmentOf(name, SESSION));
        assertFalse(Session.isSegmentOf(name, "20261123-200512123-zzzz"));
        assertEquals(SESSION, Session.ofSegment(name));
        assertEquals(SESSION + "-2", Session.connectionOf(name));
        assertEquals(42, Session.sequenceOf(name));
        assertEquals(SESSION, Session.ofSegmentFile(name + ".tmp"));
        assertEquals(2, Session.connectionNumber(name + ".tmp", SESSION));
        assertFalse(Session.isSegment(name + ".tmp"), "still being written");
        assertEquals(123456, Session.sequenceOf(SESSION + "-1-123456.ts"), "past five digits");
    }

    @Test
    void theLastTwoNumbersAreTheConnectionAndTheSegment() {
        assertEquals("a-1", Session.ofSegment("a-1-2-3.ts"));
        assertEquals(3, Session.sequenceOf("a-1-2-3.ts"));
        assertNull(Session.ofSegmentFile("a-1-2-3.ts"), "not a session id this application makes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.m3u8", "x.ts", "-1-2.ts", "a--2.ts", "a-1-.ts", "a-1-x.ts", "a-x-1.ts",
        "a-1-2.tsx", "1-2.ts", ""})
    void otherNamesAreNotSegments(String name) {
        assertFalse(Session.isSegment(name), name);
        assertThrows(IllegalArgumentException.class, () -> Session.sequenceOf(name));
        assertEquals(0, Session.connectionNumber(name, "a"));
    }
}
