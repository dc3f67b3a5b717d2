package io.tributary.search;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The conditions of one document write, from the URL of a single-document request or the action
 * line of a bulk item: optimistic concurrency ({@code if_seq_no} with {@code if_primary_term}, the
 * document's sequence number and primary term as last read) or an external version
 * ({@code version} with {@code version_type=external|external_gte}), and {@code require_alias}.
 * A write whose condition does not hold fails with {@code version_conflict_engine_exception} (409).
 *
 * @param versionType how {@code version} compares; {@link VersionType#INTERNAL} when none was given
 */
public record WriteOptions(OptionalLong ifSeqNo, OptionalLong ifPrimaryTerm, OptionalLong version, VersionType versionType,
        boolean requireAlias) {
    public static final WriteOptions DEFAULT = new WriteOptions(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
            VersionType.INTERNAL, false);

    /** Every primary term is 1: an embedded index has one primary that never changes. */
    public static final long PRIMARY_TERM = 1;

    public WriteOptions {
        requireNonNull(ifSeqNo, "ifSeqNo is null");
        requireNonNull(ifPrimaryTerm, "ifPrimaryTerm is null");
        requireNonNull(version, "version is null");
        requireNonNull(versionType, "versionType is null");
    }

    public enum VersionType {
        INTERNAL,
        /** The new version must be greater than the current one, and becomes the document's version. */
        EXTERNAL,
        /** The new version must be greater than or equal to the current one. */
        EXTERNAL_GTE;

        static VersionType parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "internal" -> INTERNAL;
                case "external", "external_gt" -> EXTERNAL;
                case "external_gte" -> EXTERNAL_GTE;
                default -> throw SearchException.illegalArgument("No version type match [%s]; use internal, external or external_gte", value);
            };
        }
    }

    /**
     * Reads and checks the options of an operation, as OpenSearch validates them before it writes.
     *
     * @param value the parameter's value by name ({@code if_seq_no}, ...), empty when absent
     */
    public static WriteOptions parse(Function<String, Optional<String>> value, BulkItem.OpType op) {
        OptionalLong ifSeqNo = number(value, "if_seq_no");
        OptionalLong ifPrimaryTerm = number(value, "if_primary_term");
        OptionalLong version = number(value, "version");
        VersionType type = value.apply("version_type").map(VersionType::parse).orElse(VersionType.INTERNAL);
        boolean requireAlias = value.apply("require_alias").map(v -> bool(v, "require_alias")).orElse(false);
        List<String> problems = new ArrayList<>();
        if (ifSeqNo.isPresent() && ifPrimaryTerm.isEmpty()) {
            problems.add("ifSeqNo is set, but primary term is [0]");
        }
        if (ifSeqNo.isEmpty() && ifPrimaryTerm.isPresent()) {
            problems.add("ifSeqNo is unassigned, but primary term is [" + ifPrimaryTerm.getAsLong() + "]");
        }
        if (ifSeqNo.isPresent() && ifSeqNo.getAsLong() < 0) {
            problems.add("sequence number must be non negative. got [" + ifSeqNo.getAsLong() + "]");
        }
        if (ifPrimaryTerm.isPresent() && ifPrimaryTerm.getAsLong() <= 0 && ifSeqNo.isPresent()) {
            problems.add("primary term must be positive. got [" + ifPrimaryTerm.getAsLong() + "]");
        }
        if (ifSeqNo.isPresent() && (version.isPresent() || type != VersionType.INTERNAL)) {
            problems.add("compare and write operations can not use versioning");
        }
        if (op == BulkItem.OpType.CREATE && (type != VersionType.INTERNAL || ifSeqNo.isPresent())) {
            problems.add(ifSeqNo.isPresent() ? "create operations do not support compare and set. use index instead"
                    : "create operations only support internal versioning. use index instead");
        }
        if (op == BulkItem.OpType.UPDATE && (version.isPresent() || type != VersionType.INTERNAL)) {
            problems.add("[update] does not support [version] or [version_type]; use if_seq_no and if_primary_term");
        } else if (type == VersionType.INTERNAL && version.isPresent()) {
            problems.add("internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead");
        } else if (type != VersionType.INTERNAL && version.isEmpty()) {
            problems.add("version_type [" + type.name().toLowerCase(Locale.ROOT) + "] needs a [version]");
        } else if (version.isPresent() && version.getAsLong() < 0) {
            problems.add("illegal version value [" + version.getAsLong() + "] for version type [" + type + "]");
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("Validation Failed: ");
            for (int i = 0; i < problems.size(); i++) {
                sb.append(i + 1).append(": ").append(problems.get(i)).append(';');
            }
            throw new SearchException(ErrorCode.INVALID_ARGUMENT, "action_request_validation_exception", 400, sb.toString());
        }
        return new WriteOptions(ifSeqNo, ifPrimaryTerm, version, type, requireAlias);
    }

    private static OptionalLong number(Function<String, Optional<String>> value, String name) {
        Optional<String> v = value.apply(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get().trim()));
        } catch (NumberFormatException e) {
            throw SearchException.illegalArgument("Failed to parse long parameter [%s] with value [%s]", name, v.get());
        }
    }

    private static boolean bool(String v, String name) {
        return switch (v) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw SearchException.illegalArgument("Failed to parse value [%s] as only [true] or [false] are allowed (parameter [%s])", v, name);
        };
    }

    /**
     * Checks the condition against the document as it is ({@code currentVersion}/{@code currentSeqNo}
     * when it exists; {@code deletedVersion} when only a recent delete's tombstone remains).
     *
     * @throws SearchException {@code version_conflict_engine_exception} when it does not hold
     */
    public void check(String id, Optional<Current> current) {
        if (ifSeqNo.isPresent()) {
            long seq = ifSeqNo.getAsLong();
            long term = ifPrimaryTerm.getAsLong();
            Optional<Current> live = current.filter(c -> !c.deleted());
            if (live.isEmpty()) {
                throw SearchException.versionConflict("[%s]: version conflict, required seqNo [%d], primary term [%d]. but no document was found",
                        id, seq, term);
            }
            if (live.get().seqNo() != seq || term != PRIMARY_TERM) {
                throw SearchException.versionConflict(
                        "[%s]: version conflict, required seqNo [%d], primary term [%d]. current document has seqNo [%d] and primary term [%d]",
                        id, seq, term, live.get().seqNo(), PRIMARY_TERM);
            }
        }
        if (versionType != VersionType.INTERNAL && current.isPresent()) {
            long given = version.getAsLong();
            long now = current.get().version();
            if (versionType == VersionType.EXTERNAL && given <= now) {
                throw SearchException.versionConflict("[%s]: version conflict, current version [%d] is higher or equal to the one provided [%d]",
                        id, now, given);
            }
            if (versionType == VersionType.EXTERNAL_GTE && given < now) {
                throw SearchException.versionConflict("[%s]: version conflict, current version [%d] is higher than the one provided [%d]",
                        id, now, given);
            }
        }
    }

    /** The version a successful write gives the document, after {@code previous} (the current or tombstone version, if any). */
    public long nextVersion(OptionalLong previous) {
        if (versionType != VersionType.INTERNAL) {
            return version.getAsLong();
        }
        return previous.isPresent() ? previous.getAsLong() + 1 : 1;
    }

    /** A document's version state for {@link #check}: live, or deleted recently (a tombstone). */
    public record Current(long version, long seqNo, boolean deleted) {}
}
