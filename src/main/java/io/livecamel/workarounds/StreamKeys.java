package io.livecamel.workarounds;

import java.lang.reflect.Method;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's key is a property ({@code streaming.channels.<name>.key}), and Camel Main logs a "Property-placeholders
 * summary" with every placeholder it resolved, values included, unless the name's last part is one of Camel's
 * sensitive words, and "key" is not one of them. This adds "key" to the context's additional sensitive keywords.
 * Camel 4.10 (camel-karaf's line) has no such setting, and no summary: the setter is called by name, so that the
 * bundle runs there too.
 */
public final class StreamKeys {

    private static final Logger LOG = LoggerFactory.getLogger(StreamKeys.class);

    private StreamKeys() {
    }

    /** Camel masks every property whose name ends in {@code key}, {@code secret} or {@code token} wherever it shows properties. */
    public static void maskIn(CamelContext context) {
        Object extension = context.getCamelContextExtension();
        try {
            // the public interface's methods: the implementation class is not public
            Method get = ExtendedCamelContext.class.getMethod("getAdditionalSensitiveKeywords");
            Method set = ExtendedCamelContext.class.getMethod("setAdditionalSensitiveKeywords", String.class);
            String sensitive = (String) get.invoke(extension);
            // the stream keys, the admission backend's secret and the admin API's token
            set.invoke(extension, (sensitive == null || sensitive.isBlank() ? "" : sensitive + ",") + "key,secret,token");
        } catch (NoSuchMethodException e) {
            LOG.debug("This Camel has no additional sensitive keywords");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot mark stream keys as sensitive", e);
        }
    }
}
