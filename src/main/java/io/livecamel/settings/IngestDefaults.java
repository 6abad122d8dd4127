package io.livecamel.settings;

/**
 * The defaults of the ingest's settings, in one place: the {@code hls-ingest} component's options and the
 * application's {@code streaming.*} settings both use them. Text, so that the component's option annotations can
 * name them.
 */
public final class IngestDefaults {

    public static final String RTMP_PORT = "1935";
    public static final String MEDIA_DIR = "./media";
    public static final String HLS_TIME = "1";
    public static final String HLS_LIST_SIZE = "100";
    public static final String RECONNECT_GRACE = "15";
    public static final String MIN_FREE_MB = "256";
    public static final String MAX_BACKLOG = "1800";

    private IngestDefaults() {
    }
}
