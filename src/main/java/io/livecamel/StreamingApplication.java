package io.livecamel;

import io.livecamel.ingest.IngestComponent;
import io.livecamel.routes.StreamingConfiguration;
import io.livecamel.ingest.Channel;
import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/** Runs the publisher: {@code mvn compile camel:run}. */
public final class StreamingApplication {

    private StreamingApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(StreamingConfiguration.class);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                // the application publishes its declared channels, or those an admission backend names: without
                // either it would have nothing to do
                StreamingSettings settings = settings(support);
                if (settings.channels().isEmpty() && settings.admissionUrl().isEmpty()) {
                    throw StreamingSettings.noKey("main");
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                System.out.println(banner(settings(support), support.getCamelContext()
                        .getComponent(IngestComponent.SCHEME, IngestComponent.class)));
            }
        });
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            System.err.println("\nERROR: the publisher cannot start. " + reason(e));
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    private static StreamingSettings settings(BaseMainSupport support) {
        return support.getCamelContext().getRegistry().lookupByNameAndType("streamingSettings",
                StreamingSettings.class);
    }

    /** The message that tells the user what to fix: a bad setting's, else the deepest cause's. */
    static String reason(Throwable error) {
        Throwable deepest = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingException) {
                return t.getMessage();
            }
            deepest = t;
        }
        return deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
    }

    /**
     * What a newcomer needs to go live. A generated demo key is printed here, once, and nowhere else; a
     * configured key is never printed.
     */
    static String banner(StreamingSettings settings, IngestComponent ingest) {
        StringBuilder text = new StringBuilder("\n=== Live streaming publisher is running ===\n");
        text.append("Player page and API: http://localhost:").append(settings.httpPort().orElse(0)).append("/\n");
        for (Channel channel : settings.channels()) {
            String host = "rtmp://localhost" + (ingest.getRtmpPort() == 1935 ? "" : ":" + ingest.getRtmpPort()) + "/live";
            text.append("Channel ").append(channel.name()).append(":\n");
            text.append("  OBS Server:     ").append(host).append('\n');
            if (ingest.getRtmpsPort() > 0) {
                text.append("  or with TLS:    rtmps://localhost:").append(ingest.getRtmpsPort()).append("/live\n");
            }
            if (channel.generatedKey()) {
                text.append("  OBS Stream key: ").append(channel.key())
                        .append("   (generated for this run; set streaming.channels.")
                        .append(channel.name()).append(".key to keep one)\n");
                text.append("  Publish URL:    ").append(host).append('/').append(channel.key()).append('\n');
            } else {
                text.append("  OBS Stream key: the value of streaming.channels.").append(channel.name())
                        .append(".key\n");
            }
            channel.srtPort().ifPresent(port -> text.append("  SRT (OBS):      srt://localhost:").append(port)
                    .append("?pbkeylen=16&passphrase=")
                    .append(channel.generatedKey() ? channel.key() : "<the stream key>").append('\n'));
            text.append("  Watch:          http://localhost:").append(settings.httpPort().orElse(0)).append("/watch/")
                    .append(channel.name()).append('\n');
            text.append("  Playlist:       ").append(settings.publicPlaylistUrl(channel.name())).append('\n');
        }
        if (settings.admissionUrl().isPresent()) {
            text.append("Who may publish: decided by the admission backend (streaming.admission.url); its channels are "
                    + "made on demand\n");
        }
        return text.toString();
    }
}
