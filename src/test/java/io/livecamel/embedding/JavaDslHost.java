package io.livecamel.embedding;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.livecamel.routes.StreamingConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.support.PluginHelper;

/**
 * An application of its own that adds live publishing the Java way (the README's example): a plain
 * {@link DefaultCamelContext}, its own application.properties, the flow's routes loaded from the jar,
 * and a channel made from the {@code live-channel} template with a {@link TemplatedRouteBuilder}.
 */
public final class JavaDslHost {

    private JavaDslHost() {
    }

    public static void main(String[] args) throws Exception {
        // as in the README
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        new StreamingConfiguration().configure(context);
        ResourceLoader resources = PluginHelper.getResourceLoader(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(List.of(
                resources.resolveResource("classpath:live-streaming/origin.camel.yaml"),
                resources.resolveResource("classpath:live-streaming/sessions.camel.yaml"),
                resources.resolveResource("classpath:live-streaming/channel.camel.yaml")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.stop();
            stopped.countDown();
        }));
        context.start();
        TemplatedRouteBuilder.builder(context, "live-channel").routeId("live-lobby")
                .parameter("channel", "lobby")
                .parameter("key", "{{lobby.publish-key}}")
                .add();
        stopped.await();
    }
}
