package io.livecamel.settings;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Typed reads of raw property values, each failing with the property's name and value. */
final class PropertyValues {
    private final Function<String, Optional<String>> properties;

    PropertyValues(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    Optional<String> optional(String name) {
        return properties.apply(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    String text(String name, String fallback) {
        Optional<String> raw = properties.apply(name);
        if (raw.isPresent() && raw.get().isBlank()) {
            throw new InvalidSettingException(name, raw.get(), "must not be empty");
        }
        return raw.map(String::trim).orElse(fallback);
    }

    String matching(String name, String fallback, Pattern pattern, String rule) {
        String value = text(name, fallback);
        if (!pattern.matcher(value).matches()) {
            throw new InvalidSettingException(name, value, rule);
        }
        return value;
    }

    /** Like {@link #matching}, but an empty value is a value (an empty prefix: objects at the bucket root). */
    String matchingOrEmpty(String name, String fallback, Pattern pattern, String rule) {
        String value = properties.apply(name).map(String::trim).orElse(fallback);
        if (!pattern.matcher(value).matches()) {
            throw new InvalidSettingException(name, value, rule);
        }
        return value;
    }

    int integer(String name, int fallback, int min, int max) {
        String value = text(name, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new InvalidSettingException(name, value, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, value, "not a whole number");
        }
    }

    int port(String name, int fallback) {
        String value = text(name, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 1 || parsed > 65535) {
                throw new InvalidSettingException(name, value, "a port is a number from 1 to 65535");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, value, "a port is a number from 1 to 65535");
        }
    }

    double decimal(String name, double fallback, double min, double max) {
        String value = text(name, Double.toString(fallback));
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                throw new InvalidSettingException(name, value, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, value, "not a number");
        }
    }

    boolean bool(String name, boolean fallback) {
        String value = text(name, Boolean.toString(fallback));
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidSettingException(name, value, "must be true or false");
    }

    URI httpUri(String name, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidSettingException(name, value, "must be an http:// or https:// URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new InvalidSettingException(name, value, "not a URL");
        }
    }
}
