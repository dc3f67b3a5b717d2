package io.tributary.content;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of saved objects, named as in their REST paths ({@code /api/dashboards}). */
public enum ContentKind {
    VISUALS,
    DASHBOARDS,
    ANALYSES;

    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ContentKind> fromPathName(String name) {
        return Arrays.stream(values()).filter(k -> k.pathName().equals(name)).findFirst();
    }
}
