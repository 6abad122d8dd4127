package io.livecamel.ingest;

import java.util.Map;
import java.util.StringJoiner;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN while the RTMP server or an SRT listener cannot listen; the details say what each one is doing. */
public final class ListenersHealthCheck extends AbstractHealthCheck {

    private final ListenerStates states;

    ListenersHealthCheck(ListenerStates states) {
        super("streaming", "listeners");
        this.states = states;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean up = true;
        StringJoiner message = new StringJoiner("; ");
        for (Map.Entry<String, ListenerStates.State> listener : states.all().entrySet()) {
            ListenerStates.State state = listener.getValue();
            String text = state.status() + " (" + state.detail() + ") since " + state.since();
            builder.detail(listener.getKey(), text);
            message.add(listener.getKey() + ": " + text);
            up &= !ListenerStates.FAILING.equals(state.status());
        }
        builder.message(message.length() == 0 ? "no listener yet" : message.toString());
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
