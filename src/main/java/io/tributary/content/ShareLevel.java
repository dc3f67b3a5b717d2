package io.tributary.content;

import io.tributary.common.TributaryException;
import java.util.Arrays;

/** What a share lets its user do: a viewer reads; a co-owner also edits and re-shares, but only the owner deletes. */
public enum ShareLevel {
    VIEWER("viewer"),
    CO_OWNER("co-owner");

    private final String wireName;

    ShareLevel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws TributaryException {@code INVALID_ARGUMENT} naming the level and the valid ones */
    public static ShareLevel parse(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst().orElseThrow(() ->
                TributaryException.invalidArgument("unknown share level '%s'; use viewer or co-owner", name));
    }
}
