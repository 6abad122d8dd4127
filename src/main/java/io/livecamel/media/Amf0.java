package io.livecamel.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;

/**
 * AMF0, the encoding of RTMP commands and metadata: numbers ({@link Double}), booleans, strings, objects and ECMA
 * arrays ({@link Map}), strict arrays ({@link List}), dates (ms as {@link Double}) and null. Reading is bounded by
 * the bytes at hand and a nesting depth, so no input makes it allocate more than the message it reads.
 */
public final class Amf0 {

    private static final int NUMBER = 0;
    private static final int BOOLEAN = 1;
    private static final int STRING = 2;
    private static final int OBJECT = 3;
    private static final int NULL = 5;
    private static final int UNDEFINED = 6;
    private static final int ECMA_ARRAY = 8;
    private static final int OBJECT_END = 9;
    private static final int STRICT_ARRAY = 10;
    private static final int DATE = 11;
    private static final int LONG_STRING = 12;
    private static final int MAX_DEPTH = 16;

    private Amf0() {
    }

    /** Every value in the buffer, read to its end. */
    public static List<Object> readAll(ByteBuf in) {
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(read(in, 0));
        }
        return values;
    }

    private static Object read(ByteBuf in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new FormatException("AMF0 values nested deeper than " + MAX_DEPTH);
        }
        need(in, 1);
        int marker = in.readUnsignedByte();
        switch (marker) {
            case NUMBER:
            case DATE:
                need(in, marker == DATE ? 10 : 8);
                double number = in.readDouble();
                if (marker == DATE) {
                    in.skipBytes(2); // time zone, unused
                }
                return number;
            case BOOLEAN:
                need(in, 1);
                return in.readBoolean();
            case STRING:
                return string(in, shortLength(in));
            case LONG_STRING:
                need(in, 4);
                return string(in, in.readUnsignedInt());
            case OBJECT:
                return properties(in, depth);
            case ECMA_ARRAY:
                need(in, 4);
                in.skipBytes(4); // the count is a hint only: the properties end with an end marker
                return properties(in, depth);
            case STRICT_ARRAY: {
                need(in, 4);
                long count = in.readUnsignedInt();
                if (count > in.readableBytes()) { // every value takes a byte at least
                    throw new FormatException("an AMF0 array of " + count + " values in " + in.readableBytes()
                            + " bytes");
                }
                List<Object> list = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    list.add(read(in, depth + 1));
                }
                return list;
            }
            case NULL:
            case UNDEFINED:
                return null;
            default:
                throw new FormatException("unsupported AMF0 type " + marker);
        }
    }

    private static Map<String, Object> properties(ByteBuf in, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            String name = string(in, shortLength(in));
            if (name.isEmpty()) {
                need(in, 1);
                if (in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                    in.skipBytes(1);
                    return map;
                }
            }
            map.put(name, read(in, depth + 1));
        }
    }

    private static int shortLength(ByteBuf in) {
        need(in, 2);
        return in.readUnsignedShort();
    }

    private static String string(ByteBuf in, long length) {
        need(in, length);
        String text = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return text;
    }

    private static void need(ByteBuf in, long bytes) {
        if (in.readableBytes() < bytes) {
            throw new FormatException("an AMF0 value runs past the end of its message");
        }
    }

    /**
     * The {@code onMetaData} object of a data message, if it is one: {@code onMetaData, {...}} as FLV files carry
     * it, or {@code @setDataFrame, onMetaData, {...}} as RTMP publishers send it.
     */
    public static java.util.Optional<Map<String, Object>> onMetaData(List<Object> values) {
        int at = !values.isEmpty() && "@setDataFrame".equals(values.get(0)) ? 1 : 0;
        if (values.size() > at + 1 && "onMetaData".equals(values.get(at)) && values.get(at + 1) instanceof Map<?, ?> map) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            map.forEach((name, value) -> metadata.put(String.valueOf(name), value));
            return java.util.Optional.of(metadata);
        }
        return java.util.Optional.empty();
    }

    /** Writes values: {@link Number}, {@link Boolean}, {@link String}, {@link Map} (as an object), null. */
    public static void write(ByteBuf out, Object... values) {
        for (Object value : values) {
            write(out, value);
        }
    }

    private static void write(ByteBuf out, Object value) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Number number) {
            out.writeByte(NUMBER).writeDouble(number.doubleValue());
        } else if (value instanceof Boolean bool) {
            out.writeByte(BOOLEAN).writeBoolean(bool);
        } else if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeByte(STRING).writeShort(bytes.length).writeBytes(bytes);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(OBJECT);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                byte[] name = entry.getKey().toString().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length).writeBytes(name);
                write(out, entry.getValue());
            }
            out.writeShort(0).writeByte(OBJECT_END);
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass());
        }
    }
}
