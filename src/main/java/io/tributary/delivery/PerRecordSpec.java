package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.Template;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-record mode, for archivers: every record becomes its own object, named by {@code key} (a
 * {@link Template} over the record's fields, such as {@code {CSP|lower}-{log_id}.json}) under the
 * location its {@code routeField} value selects ({@code data_type: logs} to one bucket,
 * {@code metrics} to another). Without a route field every record goes to the delivery stream's
 * destination and prefix. A value with no route goes to {@code defaultRoute}, or to the error
 * output when there is none.
 */
public record PerRecordSpec(String key, Optional<String> routeField, Map<String, Location> routes, Optional<Location> defaultRoute) {
    public static final EnumSet<Template.Kind> KEY_TOKENS = EnumSet.of(Template.Kind.FIELD, Template.Kind.TIMESTAMP);

    public PerRecordSpec {
        requireNonNull(key, "key is null");
        requireNonNull(routeField, "routeField is null");
        requireNonNull(defaultRoute, "defaultRoute is null");
        routes = java.util.Collections.unmodifiableMap(new TreeMap<>(routes));
        keyTemplate(key);
        if (routeField.isPresent() && routes.isEmpty()) {
            throw TributaryException.invalidArgument("per-record route-field '%s' needs at least one entry under routes", routeField.get());
        }
        if (routeField.isEmpty() && (!routes.isEmpty() || defaultRoute.isPresent())) {
            throw TributaryException.invalidArgument("per-record routes need a route-field naming the JSON field to route by");
        }
    }

    static Template keyTemplate(String key) {
        Template template = Template.parse(key, KEY_TOKENS, "per-record key template");
        if (key.isBlank() || key.endsWith("/")) {
            throw TributaryException.invalidArgument("per-record key template '%s' must name an object, not a prefix", key);
        }
        return template;
    }

    public Template keyTemplate() {
        return keyTemplate(key);
    }
}
