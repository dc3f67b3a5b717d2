package io.tributary.sql.duckdb;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.zip.ZipException;

/**
 * What was wrong with an object that could not be read, in words a user can act on: Java's
 * decompressors fail with an {@link EOFException} without a message on a truncated {@code .gz}.
 *
 * <p>Stateless.
 */
final class CorruptObjects {
    private CorruptObjects() {}

    static String describe(IOException e) {
        return switch (e) {
            case EOFException eof -> "its compressed data ends too early (the object is truncated or was not written completely)";
            case ZipException zip when "Not in GZIP format".equals(zip.getMessage()) -> "it is named as gzip-compressed (.gz) but is not gzip data";
            case ZipException zip -> "its compressed data is corrupt (" + zip.getMessage() + ")";
            case CharacterCodingException coding -> "it is not UTF-8 text";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
