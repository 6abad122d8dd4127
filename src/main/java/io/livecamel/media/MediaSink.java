package io.livecamel.media;

import java.util.Map;

/** Where one admitted publisher's media goes. Calls for one publisher come one at a time, in order. */
public interface MediaSink {

    /** The publisher's {@code onMetaData} (its tracks, size, encoder...). */
    void metadata(Map<String, Object> values);

    /** An audio or video tag; the sink owns it from now on and releases it. */
    void media(FlvTag tag);

    /** The publisher is gone, or stopped publishing; called once, and nothing comes after it. */
    void end(String reason);
}
