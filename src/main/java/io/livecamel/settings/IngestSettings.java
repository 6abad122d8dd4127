package io.livecamel.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.livecamel.ingest.IngestComponent;
import io.livecamel.ingest.InvalidOptionException;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * The ingest's settings: each {@code streaming.*} name below is an option of the {@code hls-ingest} component, bound
 * by Camel with the component's generated configurer and checked by the component itself
 * ({@link IngestComponent#validateConfiguration()}). Their defaults and their rules live there, once; this class only
 * knows the names, and says a bad value with the {@code streaming.*} name the user wrote.
 */
public final class IngestSettings {

    /** Each {@code streaming.*} setting of the ingest, and the component option it sets. */
    static final Map<String, String> OPTIONS = options(
            "streaming.rtmp.port", "rtmpPort",
            "streaming.rtmps.port", "rtmpsPort",
            "streaming.rtmps.certificate", "rtmpsCertificate",
            "streaming.rtmps.private-key", "rtmpsPrivateKey",
            "streaming.ffmpeg.path", "ffmpegPath",
            "streaming.media-dir", "mediaDir",
            "streaming.hls.time", "hlsTime",
            "streaming.hls.list-size", "hlsListSize",
            "streaming.reconnect-grace", "reconnectGrace",
            "streaming.disk.min-free-mb", "minFreeMb",
            "streaming.upload.max-backlog", "maxBacklog",
            "streaming.admission.timeout", "admissionTimeout",
            "streaming.admission.recheck-interval", "admissionRecheckInterval",
            "streaming.admission.channel-idle-timeout", "channelIdleTimeout",
            "streaming.restream.buffer-mb", "restreamBufferMb",
            "streaming.restream.stall-timeout", "restreamStallTimeout");

    private IngestSettings() {
    }

    /**
     * The {@code hls-ingest} component with the ingest's settings among {@code properties}, checked (ffmpeg found
     * and run once), or an {@link InvalidSettingException} naming the setting. Its ports must not be those of the
     * application's other servers ({@code settings}).
     */
    public static IngestComponent component(CamelContext context, Function<String, Optional<String>> properties,
            StreamingSettings settings) {
        IngestComponent ingest = new IngestComponent();
        ingest.setCamelContext(context);
        PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer(IngestComponent.SCHEME + "-component", context);
        OPTIONS.forEach((name, option) -> properties.apply(name).ifPresent(raw -> {
            if (raw.isBlank()) {
                throw new InvalidSettingException(name, raw, "must not be empty");
            }
            Class<?> type = ((PropertyConfigurerGetter) configurer).getOptionType(option, false);
            if (!wellFormed(raw.trim(), type)) {
                throw new InvalidSettingException(name, raw, rule(option, type));
            }
            try {
                PropertyBindingSupport.build().withCamelContext(context).withTarget(ingest).withConfigurer(configurer)
                        .withMandatory(true).withReflection(false).withProperty(option, raw.trim()).bind();
            } catch (RuntimeException e) {
                throw new InvalidSettingException(name, raw, rule(option, type));
            }
        }));
        try {
            ingest.validateConfiguration();
            ingest.ffmpeg();
        } catch (InvalidOptionException e) {
            String name = nameOf(e.option());
            String problem = e.problem();
            for (Map.Entry<String, String> option : OPTIONS.entrySet()) { // the problem in the user's words
                problem = problem.replaceAll("\\b" + option.getValue() + "\\b", option.getKey());
            }
            throw new InvalidSettingException(name, properties.apply(name).orElse(e.value()), problem);
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("the RTMP server (streaming.rtmp.port)", ingest.getRtmpPort());
        if (ingest.getRtmpsPort() > 0) {
            ports.put("the RTMPS server (streaming.rtmps.port)", ingest.getRtmpsPort());
        }
        settings.checkPorts(ports);
        return ingest;
    }

    /** The {@code streaming.*} name of a component option. */
    static String nameOf(String option) {
        return OPTIONS.entrySet().stream().filter(entry -> entry.getValue().equals(option)).map(Map.Entry::getKey)
                .findFirst().orElse(IngestComponent.SCHEME + " option " + option);
    }

    /** Whether the text is a value of the type as a person writes one (Camel's own conversion is more lenient). */
    private static boolean wellFormed(String text, Class<?> type) {
        if (type == int.class || type == long.class) {
            return text.matches("-?[0-9]{1,18}");
        }
        if (type == double.class) {
            try {
                Double.parseDouble(text);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** What a value of the option's type must look like. */
    private static String rule(String option, Class<?> type) {
        if (option.endsWith("Port")) {
            return "a port is a number from 1 to 65535";
        }
        return type == int.class || type == long.class ? "not a whole number" : "not a number";
    }

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(options);
    }
}
