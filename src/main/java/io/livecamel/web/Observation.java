package io.livecamel.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;

/** What {@code /observe/health} and {@code /observe/metrics} answer. */
public final class Observation {

    private final PrometheusMeterRegistry registry;

    public Observation(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Every health check's result; status 503 when any is DOWN. */
    public Map<String, Object> health(Exchange exchange) {
        CamelContext context = exchange.getContext();
        // every enabled check, UP ones included (HealthCheckHelper.invoke shows only what is DOWN by default)
        Collection<HealthCheck.Result> results = HealthCheckRegistry.get(context).stream()
                .filter(HealthCheck::isEnabled).map(HealthCheck::call).toList();
        boolean up = results.stream().allMatch(result -> result.getState() != HealthCheck.State.DOWN);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthCheck.Result result : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            Map<String, Object> details = new TreeMap<>();
            result.getDetails().forEach((name, value) -> {
                if (!name.startsWith("invocation.") && !name.startsWith("failure.")) {
                    details.put(name, String.valueOf(value));
                }
            });
            result.getMessage().ifPresent(message -> details.put("message", message));
            if (!details.isEmpty()) {
                check.put("details", details);
            }
            checks.add(check);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", up ? "UP" : "DOWN");
        health.put("checks", checks);
        return health;
    }

    /** The metrics in Prometheus' text format. */
    public String metrics() {
        return registry.scrape();
    }
}
