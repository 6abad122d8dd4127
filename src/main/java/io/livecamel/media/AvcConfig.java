package io.livecamel.media;

import java.util.Optional;

import io.netty.buffer.ByteBuf;

/**
 * The picture size an H.264 stream declares: read from the first sequence parameter set (ITU-T H.264 §7.3.2.1.1)
 * inside the AVC decoder configuration record of its sequence header. Anything it cannot read gives no size.
 */
final class AvcConfig {

    private AvcConfig() {
    }

    /** {@code 1280x720} from a sequence header's body (FLV video tag, AVCPacketType 0), if it can be read. */
    static Optional<String> resolution(ByteBuf body) {
        try {
            int at = body.readerIndex() + 5; // codec byte, packet type, composition time (3)
            // configurationVersion, profile, compatibility, level, lengthSizeMinusOne, numOfSPS
            if (body.readableBytes() < 5 + 8 || (body.getUnsignedByte(at + 5) & 0x1F) == 0) {
                return Optional.empty();
            }
            int length = body.getUnsignedShort(at + 6);
            if (length < 4 || body.readableBytes() < 5 + 8 + length) {
                return Optional.empty();
            }
            byte[] sps = new byte[length];
            body.getBytes(at + 8, sps);
            return Optional.of(size(new Bits(sps)));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String size(Bits bits) {
        bits.skip(8); // NAL header
        int profile = bits.read(8);
        bits.skip(16); // constraint flags, level
        bits.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chromaFormat = bits.ue();
            if (chromaFormat == 3) {
                bits.skip(1); // separate_colour_plane_flag
            }
            bits.ue(); // bit_depth_luma_minus8
            bits.ue(); // bit_depth_chroma_minus8
            bits.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (bits.read(1) == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                    if (bits.read(1) == 1) {
                        scalingList(bits, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        bits.ue(); // log2_max_frame_num_minus4
        int pocType = bits.ue();
        if (pocType == 0) {
            bits.ue();
        } else if (pocType == 1) {
            bits.skip(1);
            bits.se();
            bits.se();
            int cycle = bits.ue();
            for (int i = 0; i < cycle; i++) {
                bits.se();
            }
        }
        bits.ue(); // max_num_ref_frames
        bits.skip(1); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = bits.ue() + 1;
        int heightInMapUnits = bits.ue() + 1;
        int frameMbsOnly = bits.read(1);
        if (frameMbsOnly == 0) {
            bits.skip(1); // mb_adaptive_frame_field_flag
        }
        bits.skip(1); // direct_8x8_inference_flag
        int cropLeft = 0;
        int cropRight = 0;
        int cropTop = 0;
        int cropBottom = 0;
        if (bits.read(1) == 1) {
            cropLeft = bits.ue();
            cropRight = bits.ue();
            cropTop = bits.ue();
            cropBottom = bits.ue();
        }
        int cropX = chromaFormat == 1 || chromaFormat == 2 ? 2 : 1;
        int cropY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMbsOnly);
        int width = widthInMbs * 16 - cropX * (cropLeft + cropRight);
        int height = (2 - frameMbsOnly) * heightInMapUnits * 16 - cropY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("no picture size");
        }
        return width + "x" + height;
    }

    private static void scalingList(Bits bits, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            next = (last + bits.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    /** A bit reader over a NAL unit, skipping emulation prevention bytes (00 00 03). */
    private static final class Bits {
        private final byte[] data;
        private int bit;

        Bits(byte[] nal) {
            byte[] raw = new byte[nal.length];
            int n = 0;
            int zeros = 0;
            for (byte b : nal) {
                if (zeros >= 2 && b == 3) {
                    zeros = 0;
                    continue;
                }
                zeros = b == 0 ? zeros + 1 : 0;
                raw[n++] = b;
            }
            data = java.util.Arrays.copyOf(raw, n);
        }

        int read(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                if (bit >= data.length * 8) {
                    throw new IllegalArgumentException("the SPS ends early");
                }
                value = (value << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
                bit++;
            }
            return value;
        }

        void skip(int count) {
            read(count);
        }

        int ue() {
            int zeros = 0;
            while (read(1) == 0) {
                if (++zeros > 31) {
                    throw new IllegalArgumentException("a bad Exp-Golomb code");
                }
            }
            return (int) ((1L << zeros) - 1 + read(zeros));
        }

        int se() {
            int code = ue();
            return (code & 1) == 1 ? (code + 1) / 2 : -(code / 2);
        }
    }
}
