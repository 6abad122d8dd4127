package io.livecamel.workarounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class LastExchangeGaugeTest {

    @Test
    void theGaugeIsThereBeforeAnyExchange() throws Exception {
        assertNotNull(lastExchangeGauge(true, false), "registered while the routes started");
    }

    @Test
    void theGaugeIsThereBeforeAnyExchangeWithTheSupervisingRouteController() throws Exception {
        assertNotNull(lastExchangeGauge(true, true), "registered when the context started, before the routes");
    }

    @Test
    void withoutItCamelRegistersTheGaugeOnlyWhenAnExchangeFinishes() throws Exception {
        assertNull(lastExchangeGauge(false, false), "what this class works around is gone: delete it");
    }

    private static Gauge lastExchangeGauge(boolean registerEarly, boolean supervising) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            if (supervising) {
                context.getRouteController().supervising();
            }
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            context.addService(new MicrometerPrometheus());
            if (registerEarly) {
                context.getManagementStrategy().addEventNotifier(new LastExchangeGauge());
            }
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").routeId("in").log("an exchange");
                }
            });
            context.start();
            Gauge gauge = registry.find(MicrometerConstants.CAMEL_EXCHANGE_LAST_TIME_METER_NAME).gauge();
            context.createProducerTemplate().sendBody("direct:in", "x");
            assertEquals(1, registry.find(MicrometerConstants.CAMEL_EXCHANGE_LAST_TIME_METER_NAME).gauges().size());
            return gauge;
        }
    }
}
