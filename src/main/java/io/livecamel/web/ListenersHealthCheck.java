package io.livecamel.web;

import java.util.Map;

import io.livecamel.ingest.ListenerStates;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN while the RTMP server or an SRT listener cannot listen; the details say what each one is doing. */
public final class ListenersHealthCheck extends AbstractHealthCheck {

    private final ListenerStates states;

    public ListenersHealthCheck(ListenerStates states) {
        super("streaming", "listeners");
        this.states = states;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean up = true;
        for (Map.Entry<String, ListenerStates.State> listener : states.all().entrySet()) {
            ListenerStates.State state = listener.getValue();
            builder.detail(listener.getKey(), state.status() + " (" + state.detail() + ") since " + state.since());
            up &= !ListenerStates.FAILING.equals(state.status());
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
