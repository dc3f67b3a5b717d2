package io.tributary.stream;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's own readers of a stream (delivery streams, search sinks), so that deleting a stream
 * they read is refused, as Kinesis refuses {@code DeleteStream} while consumers are registered.
 *
 * <p>A reader is either one that follows a stream through deletion and re-creation (a delivery
 * stream delivers what it buffered and reads the new stream from its beginning), which a forced
 * deletion may leave behind, or one that cannot (a search sink, whose positions and document ids
 * would refer to the old stream's offsets), which always has to be deleted first.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface StreamReaders {
    /** A reader of a stream, described for people ({@code delivery stream 'orders-to-lake'}). */
    record Reader(String description, boolean followsRecreation, String howToRemove) {
        public Reader {
            requireNonNull(description, "description is null");
            requireNonNull(howToRemove, "howToRemove is null");
        }
    }

    /** The readers of a stream; empty when none. */
    List<Reader> of(String stream);

    static StreamReaders none() {
        return stream -> List.of();
    }

    /** All readers the given registries report. */
    static StreamReaders all(List<StreamReaders> registries) {
        List<StreamReaders> copy = List.copyOf(registries);
        return stream -> {
            List<Reader> out = new ArrayList<>();
            copy.forEach(r -> out.addAll(r.of(stream)));
            return List.copyOf(out);
        };
    }

    /**
     * Refuses deleting a stream that is read.
     *
     * @param force delete even though readers that follow a re-creation read it (Kinesis's
     *     {@code EnforceConsumerDeletion}); readers that cannot are never forced
     * @param forceHint how the caller forces the deletion, named in the message; empty when it cannot
     * @throws TributaryException {@code RESOURCE_IN_USE} naming the readers and what to do
     */
    default void checkDeletable(String stream, boolean force, Optional<String> forceHint) {
        List<Reader> readers = of(stream);
        List<Reader> blocking = readers.stream().filter(r -> !force || !r.followsRecreation()).toList();
        if (blocking.isEmpty()) {
            return;
        }
        List<String> names = blocking.stream().map(Reader::description).toList();
        List<String> steps = blocking.stream().map(Reader::howToRemove).distinct().toList();
        boolean forcible = blocking.stream().allMatch(Reader::followsRecreation);
        String alternative;
        if (!forcible) {
            alternative = " (a search sink cannot follow a stream through deletion)";
        } else if (forceHint.isPresent()) {
            alternative = ", or delete it anyway with " + forceHint.get()
                    + " (a delivery stream then reads a stream created again under this name from its beginning)";
        } else {
            alternative = "";
        }
        throw new TributaryException(ErrorCode.RESOURCE_IN_USE, "stream '" + stream + "' is read by " + String.join(", ", names)
                + "; " + String.join(" and ", steps) + " first" + alternative);
    }
}
