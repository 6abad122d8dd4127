package io.livecamel.ingest;

import static io.livecamel.ingest.InvalidOptionException.between;
import static io.livecamel.ingest.InvalidOptionException.port;

import java.math.BigDecimal;
import java.time.Duration;

import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The options of the {@code hls-ingest} component ({@link IngestComponent}), bound by Camel (its generated
 * configurer) and checked by {@link #validateConfiguration()}, as camel-netty's configuration does; each option's
 * default is on its declaration.
 */
public abstract class IngestOptions extends DefaultComponent {

    @Metadata(defaultValue = "1935", description = "The TCP port of the RTMP server that takes every channel's "
            + "publishers (rtmp://host:port/live/<stream key>).")
    private int rtmpPort = 1935;
    @Metadata(description = "The TCP port of the RTMPS server (RTMP over TLS); none when not set.")
    private int rtmpsPort;
    @Metadata(description = "The RTMPS server's certificate chain, a PEM file.")
    private String rtmpsCertificate;
    @Metadata(description = "The RTMPS server's private key, a PEM PKCS#8 file.", secret = true)
    private String rtmpsPrivateKey;
    @Metadata(description = "The ffmpeg executable to run; by default the static build bundled in the jar.")
    private String ffmpegPath;
    @Metadata(defaultValue = "./media", description = "The folder ffmpeg writes each channel's HLS into, one "
            + "sub-folder per channel.")
    private String mediaDir = "./media";
    @Metadata(defaultValue = "1", description = "The target length of a segment in seconds (0.1 to 30); ffmpeg cuts "
            + "at the first keyframe after it.")
    private double hlsTime = 1;
    @Metadata(defaultValue = "100", description = "How many segments the live playlist lists (1 to 100000).")
    private int hlsListSize = 100;
    @Metadata(defaultValue = "15", description = "Seconds a session waits for its publisher to come back before it "
            + "ends (0 to 3600).")
    private double reconnectGrace = 15;
    @Metadata(defaultValue = "256", description = "Megabytes to keep free on the media folder's disk: below it "
            + "publishers are refused and a live one is cut, before ffmpeg fails in a segment.")
    private long minFreeMb = 256;
    @Metadata(defaultValue = "1800", description = "Segments a channel may keep on local disk for the origin besides "
            + "its live window: past it the publisher is cut and new ones are refused until the origin has taken "
            + "them (1 to 1000000).")
    private int maxBacklog = 1800;
    @Metadata(label = "restream", defaultValue = "4", description = "Megabytes of media a restream destination may "
            + "have waiting (0.1 to 1024); past it, its media is dropped up to the next keyframe.")
    private double restreamBufferMb = 4;
    @Metadata(label = "restream", defaultValue = "10", description = "Seconds a restream destination may take "
            + "nothing, or take to accept the stream (1 to 300), before it is reconnected.")
    private double restreamStallTimeout = 10;

    @Metadata(label = "admission", description = "The endpoint that decides who may publish (an admission route: "
            + "direct:admit-publisher); each publisher's request goes to it. Not set: the channels' publishKeys "
            + "decide, and no channel is made on demand.")
    private String admission;
    @Metadata(label = "admission", defaultValue = "3", description = "Seconds the admission endpoint has to decide on "
            + "a publisher (0.1 to 60); past it the publisher is refused.")
    private double admissionTimeout = 3;
    @Metadata(label = "admission", defaultValue = "0", description = "Seconds between two checks of each live "
            + "publisher by the admission endpoint (update); a refusal ends its session at once. 0: never.")
    private double admissionRecheckInterval;
    @Metadata(label = "admission", defaultValue = "60", description = "Seconds a channel made on demand stays without "
            + "a session, an event or a publisher admitted before its route is removed (1 to 86400).")
    private double channelIdleTimeout = 60;
    @Metadata(label = "admission", description = "Who may write a channel when several nodes share one origin "
            + "(cluster mode): a channel is taken before a publisher is admitted to it. None: this node writes every "
            + "channel.")
    private ChannelOwnership channelOwnership;
    @Metadata(label = "admission", description = "Reads what the origin holds of a channel when this node takes it "
            + "in cluster mode (its playlist, to go on with a session another node wrote). Needed with "
            + "channelOwnership.")
    private SessionOrigin sessionOrigin;
    @Metadata(label = "admission", description = "Makes the route of a channel the admission endpoint names and no "
            + "route declares (a channel on demand), and removes it once idle.")
    private ChannelRouteFactory channelRouteFactory;

    /**
     * Checks every option: a bad one fails with an {@link InvalidOptionException}
     * naming it and its value. Called when the component starts; an application may call it before.
     */
    public void validateConfiguration() {
        port("rtmpPort", rtmpPort);
        if (rtmpsPort != 0) {
            port("rtmpsPort", rtmpsPort);
            if (rtmpsCertificate == null || rtmpsPrivateKey == null) {
                throw new InvalidOptionException("rtmpsPort", rtmpsPort, "RTMPS also needs rtmpsCertificate and "
                        + "rtmpsPrivateKey (PEM files)");
            }
        }
        if (channelOwnership != null && sessionOrigin == null) {
            throw new InvalidOptionException("sessionOrigin", null, "is needed with channelOwnership (cluster mode)");
        }
        if (mediaDir == null || mediaDir.isBlank()) {
            throw new InvalidOptionException("mediaDir", mediaDir, "must not be empty");
        }
        between("hlsTime", hlsTime, 0.1, 30);
        between("hlsListSize", hlsListSize, 1, 100_000);
        between("reconnectGrace", reconnectGrace, 0, 3600);
        between("minFreeMb", minFreeMb, 0, 1_000_000);
        between("maxBacklog", maxBacklog, 1, 1_000_000);
        between("admissionTimeout", admissionTimeout, 0.1, 60);
        between("admissionRecheckInterval", admissionRecheckInterval, 0, 86_400);
        between("channelIdleTimeout", channelIdleTimeout, 1, 86_400);
        between("restreamBufferMb", restreamBufferMb, 0.1, 1024);
        between("restreamStallTimeout", restreamStallTimeout, 1, 300);
    }

    /** A number of seconds as an option holds it, as a duration (to the millisecond). */
    static Duration duration(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** A duration in seconds the way a person writes them: {@code 15}, {@code 0.5}. */
    public static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** The reconnect grace ({@code reconnectGrace}) as a duration. */
    public Duration reconnectGrace() {
        return duration(reconnectGrace);
    }

    /** The time the admission endpoint has ({@code admissionTimeout}) as a duration. */
    public Duration admissionTimeout() {
        return duration(admissionTimeout);
    }

    /** How long a channel made on demand stays idle ({@code channelIdleTimeout}) as a duration. */
    Duration channelIdleTimeout() {
        return duration(channelIdleTimeout);
    }

    public int getRtmpPort() {
        return rtmpPort;
    }

    public void setRtmpPort(int rtmpPort) {
        this.rtmpPort = rtmpPort;
    }

    public int getRtmpsPort() {
        return rtmpsPort;
    }

    public void setRtmpsPort(int rtmpsPort) {
        this.rtmpsPort = rtmpsPort;
    }

    public String getRtmpsCertificate() {
        return rtmpsCertificate;
    }

    public void setRtmpsCertificate(String rtmpsCertificate) {
        this.rtmpsCertificate = rtmpsCertificate;
    }

    public String getRtmpsPrivateKey() {
        return rtmpsPrivateKey;
    }

    public void setRtmpsPrivateKey(String rtmpsPrivateKey) {
        this.rtmpsPrivateKey = rtmpsPrivateKey;
    }

    public String getFfmpegPath() {
        return ffmpegPath;
    }

    public void setFfmpegPath(String ffmpegPath) {
        this.ffmpegPath = ffmpegPath;
    }

    public String getMediaDir() {
        return mediaDir;
    }

    public void setMediaDir(String mediaDir) {
        this.mediaDir = mediaDir;
    }

    public double getHlsTime() {
        return hlsTime;
    }

    public void setHlsTime(double hlsTime) {
        this.hlsTime = hlsTime;
    }

    public int getHlsListSize() {
        return hlsListSize;
    }

    public void setHlsListSize(int hlsListSize) {
        this.hlsListSize = hlsListSize;
    }

    public double getReconnectGrace() {
        return reconnectGrace;
    }

    public void setReconnectGrace(double reconnectGrace) {
        this.reconnectGrace = reconnectGrace;
    }

    public long getMinFreeMb() {
        return minFreeMb;
    }

    public void setMinFreeMb(long minFreeMb) {
        this.minFreeMb = minFreeMb;
    }

    public String getAdmission() {
        return admission;
    }

    public void setAdmission(String admission) {
        this.admission = admission;
    }

    public double getAdmissionTimeout() {
        return admissionTimeout;
    }

    public void setAdmissionTimeout(double admissionTimeout) {
        this.admissionTimeout = admissionTimeout;
    }

    public double getAdmissionRecheckInterval() {
        return admissionRecheckInterval;
    }

    public void setAdmissionRecheckInterval(double admissionRecheckInterval) {
        this.admissionRecheckInterval = admissionRecheckInterval;
    }

    public double getChannelIdleTimeout() {
        return channelIdleTimeout;
    }

    public void setChannelIdleTimeout(double channelIdleTimeout) {
        this.channelIdleTimeout = channelIdleTimeout;
    }

    public ChannelOwnership getChannelOwnership() {
        return channelOwnership;
    }

    public void setChannelOwnership(ChannelOwnership channelOwnership) {
        this.channelOwnership = channelOwnership;
    }

    public SessionOrigin getSessionOrigin() {
        return sessionOrigin;
    }

    public void setSessionOrigin(SessionOrigin sessionOrigin) {
        this.sessionOrigin = sessionOrigin;
    }

    public ChannelRouteFactory getChannelRouteFactory() {
        return channelRouteFactory;
    }

    public void setChannelRouteFactory(ChannelRouteFactory channelRouteFactory) {
        this.channelRouteFactory = channelRouteFactory;
    }

    public int getMaxBacklog() {
        return maxBacklog;
    }

    public void setMaxBacklog(int maxBacklog) {
        this.maxBacklog = maxBacklog;
    }

    public double getRestreamBufferMb() {
        return restreamBufferMb;
    }

    public void setRestreamBufferMb(double restreamBufferMb) {
        this.restreamBufferMb = restreamBufferMb;
    }

    public double getRestreamStallTimeout() {
        return restreamStallTimeout;
    }

    public void setRestreamStallTimeout(double restreamStallTimeout) {
        this.restreamStallTimeout = restreamStallTimeout;
    }
}
