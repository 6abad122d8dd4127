package io.livecamel.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class Amf0Test {

    @Test
    void whatIsWrittenReadsBack() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", "live");
        object.put("nested", Map.of("n", 2.0));
        ByteBuf buffer = Unpooled.buffer();
        Amf0.write(buffer, "connect", 1.0, object, null, true);
        assertEquals(Arrays.asList("connect", 1.0, object, null, true), Amf0.readAll(buffer));
    }

    @Test
    void anEcmaArrayAStrictArrayADateAndALongStringAreRead() {
        ByteBuf buffer = Unpooled.buffer();
        buffer.writeByte(8).writeInt(1).writeShort(5).writeBytes("width".getBytes()).writeByte(0).writeDouble(1280)
                .writeShort(0).writeByte(9);
        buffer.writeByte(10).writeInt(2).writeByte(1).writeByte(1).writeByte(5);
        buffer.writeByte(11).writeDouble(1.5e12).writeShort(0);
        buffer.writeByte(12).writeInt(3).writeBytes("abc".getBytes());
        assertEquals(Arrays.asList(Map.of("width", 1280.0), Arrays.asList(true, null), 1.5e12, "abc"),
                Amf0.readAll(buffer));
    }

    @Test
    void valuesRunningPastTheMessageAreRefused() {
        for (ByteBuf bad : List.of(
                Unpooled.buffer().writeByte(2).writeShort(100).writeBytes("short".getBytes()),
                Unpooled.buffer().writeByte(0).writeInt(1),
                Unpooled.buffer().writeByte(10).writeInt(Integer.MAX_VALUE),
                Unpooled.buffer().writeByte(12).writeInt(-1),
                Unpooled.buffer().writeByte(3).writeShort(1).writeByte('a'))) {
            assertThrows(FormatException.class, () -> Amf0.readAll(bad));
        }
    }

    @Test
    void deepNestingAndUnknownTypesAreRefused() {
        ByteBuf deep = Unpooled.buffer();
        for (int i = 0; i < 100; i++) {
            deep.writeByte(3).writeShort(1).writeByte('a');
        }
        FormatException error = assertThrows(FormatException.class, () -> Amf0.readAll(deep));
        assertEquals("AMF0 values nested deeper than 16", error.getMessage());
        assertEquals("unsupported AMF0 type 17",
                assertThrows(FormatException.class, () -> Amf0.readAll(Unpooled.buffer().writeByte(17)))
                        .getMessage());
    }
}
