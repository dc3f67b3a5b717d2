package io.tributary.sql;

import static java.util.Objects.requireNonNull;

/** A result column as Athena describes it: name and type name ({@code varchar}, {@code bigint}, ...). */
public record ResultColumn(String name, String type, int precision, int scale) {
    public ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public static ResultColumn of(String name, String type) {
        return new ResultColumn(name, type, 0, 0);
    }
}
