package io.livecamel.workarounds;

import java.util.Map;
import java.util.StringJoiner;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while a route file saved with an error is not applied (the routes that ran before it go on); the details
 * name each such file and its problem.
 */
public final class RouteFilesHealthCheck extends AbstractHealthCheck {

    private final LiveRouteFiles files;

    public RouteFilesHealthCheck(LiveRouteFiles files) {
        super("streaming", "route-files");
        this.files = files;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> problems = files.problems();
        problems.forEach((file, problem) -> builder.detail(file, "not applied: " + problem));
        if (problems.isEmpty()) {
            builder.up();
        } else {
            StringJoiner message = new StringJoiner("; ", "", "; the routes that ran before go on");
            problems.forEach((file, problem) -> message.add(file + " not applied: " + problem));
            builder.message(message.toString());
            builder.down();
        }
    }
}
