package io.livecamel.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while streams cannot be stored: the media folder cannot be written or its disk is short of space, or a
 * channel keeps as many segments for the origin as it may. The message says which.
 */
public final class StorageHealthCheck extends AbstractHealthCheck {

    private final IngestComponent ingest;

    StorageHealthCheck(IngestComponent ingest) {
        super("streaming", "storage");
        this.ingest = ingest;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        if (ingest.disk() != null) {
            ingest.disk().problem().ifPresent(problems::add);
        }
        ingest.channels().all().forEach(channel -> channel.backlogProblem().ifPresent(problems::add));
        if (problems.isEmpty()) {
            builder.message("streams can be stored").up();
        } else {
            builder.message(String.join("; ", problems)).down();
        }
    }
}
