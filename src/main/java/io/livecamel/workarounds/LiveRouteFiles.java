package io.livecamel.workarounds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a route file saved while the application runs ({@code camel.main.routes-reload-enabled}), without touching
 * a live stream: only that file's routes are replaced, while the channel routes are held between two events
 * ({@link EventGate}); the routes made from a template it holds are made again ({@link TemplatesChanged}); a route
 * deleted from the file is removed. A file that cannot be applied (YAML or route error) is reported once as an ERROR
 * and in the health check, and what ran before it goes on: its last good version is put back.
 */
public final class LiveRouteFiles implements ResourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRouteFiles.class);
    private static final int SETTLE_READS = 20;
    private static final long SETTLE_MILLIS = 100;

    private final CamelContext context;
    private final EventGate gate;
    private final TemplatesChanged templatesChanged;
    private final Map<Path, String> lastSeen = new HashMap<>();
    private final Map<Path, String> lastGood = new HashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /** Told the ids of the route templates an applied file holds: the routes made from them are made again. */
    @FunctionalInterface
    public interface TemplatesChanged {
        void recreate(CamelContext context, Collection<String> templates) throws Exception;
    }

    public LiveRouteFiles(CamelContext context, EventGate gate, TemplatesChanged templatesChanged) {
        this.context = context;
        this.gate = gate;
        this.templatesChanged = templatesChanged;
    }

    /** Remembers the route files as they are now (loaded at start): what a failed edit goes back to. */
    public void remember(Path folder, String pattern) throws IOException {
        var matcher = folder.getFileSystem().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> matcher.matches(f.getFileName())).toList()) {
                String content = Files.readString(file);
                lastSeen.put(key(file), content);
                lastGood.put(key(file), content);
            }
        }
    }

    /** Files saved with an error, and what it is: shown by the health check until fixed. */
    public Map<String, String> problems() {
        return new TreeMap<>(problems);
    }

    @Override
    public synchronized void onReload(String name, Resource resource) {
        Path file = key(Path.of(name));
        String content;
        try {
            content = settled(file);
        } catch (NoSuchFileException e) {
            return; // deleted: its routes run on until the next start
        } catch (IOException e) {
            report(name, "it cannot be read: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (content.isBlank()) {
            return; // being written (editors and git truncate first); the write that follows is applied
        }
        if (content.equals(lastSeen.put(file, content))) {
            return; // saved again unchanged (editors often write twice)
        }
        try {
            Set<String> applied = apply(file, ResourceHelper.fromString(resource.getLocation(), content));
            lastGood.put(file, content);
            if (problems.remove(name) != null) {
                LOG.info("{} is fixed and applied: {}", name, applied);
            } else {
                LOG.info("{} is applied: {}", name, applied);
            }
        } catch (Exception e) {
            // the gate is still held (apply keeps it on a failure): no event may enter the routes half replaced; the
            // error is told once what ran before runs again
            String good = lastGood.get(file);
            try {
                if (good != null) {
                    apply(file, ResourceHelper.fromString(resource.getLocation(), good));
                } else {
                    removeRoutes(routesFrom(file));
                }
            } catch (Exception again) {
                LOG.error("{}: the routes that ran before could not all be put back: {}", name, problem(again));
            } finally {
                gate.release();
            }
            report(name, problem(e));
        }
    }

    /** The file's content once it has stopped changing: an editor may still be writing it when told. */
    private static String settled(Path file) throws IOException, InterruptedException {
        String content = Files.readString(file);
        for (int read = 0; read < SETTLE_READS; read++) {
            Thread.sleep(SETTLE_MILLIS);
            String again = Files.readString(file);
            if (again.equals(content)) {
                break;
            }
            content = again;
        }
        return content;
    }

    private void report(String name, String problem) {
        problems.put(name, problem);
        LOG.error("{} was not applied: {}. The routes that ran before go on; fix the file to apply it.", name,
                problem);
    }

    /** Replaces the file's routes and templates with these, and the routes made from its templates. */
    private Set<String> apply(Path file, Resource resource) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> before = routesFrom(file);
        List<RouteTemplateDefinition> oldTemplates = templatesFrom(model, file);
        Set<String> applied = new LinkedHashSet<>();
        gate.hold(context);
        // Camel adds a template again beside the old one, and the old one would still be used
        model.removeRouteTemplateDefinitions(oldTemplates);
        // on a failure the gate stays held: Camel may have removed routes it did not make again (a channel route's
        // event would wait for them), and the caller puts the last good version back before it lets events in
        applied.addAll(PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource)));
        Set<String> deleted = new LinkedHashSet<>(before);
        deleted.removeAll(applied);
        removeRoutes(deleted);
        gate.release();
        List<String> templates = templatesFrom(model, file).stream().map(RouteTemplateDefinition::getId).toList();
        templatesChanged.recreate(context, templates);
        applied.addAll(templates);
        return applied;
    }

    private void removeRoutes(Set<String> routeIds) throws Exception {
        for (String routeId : routeIds) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
        }
    }

    private Set<String> routesFrom(Path file) {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : context.getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && route.getProperties().get(Route.TEMPLATE_PROPERTY) == null
                    && file.equals(key(source))) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    private static List<RouteTemplateDefinition> templatesFrom(Model model, Path file) {
        return model.getRouteTemplateDefinitions().stream()
                .filter(template -> template.getResource() != null && file.equals(key(template.getResource())))
                .toList();
    }

    private static Path key(Resource resource) {
        String location = resource.getLocation();
        return key(Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location));
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** What is wrong, as the user can fix it: each distinct message down the chain of causes. */
    static String problem(Throwable error) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? null : t.getMessage().strip();
            if (message != null && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        return messages.isEmpty() ? error.toString() : String.join(": ", messages);
    }
}
