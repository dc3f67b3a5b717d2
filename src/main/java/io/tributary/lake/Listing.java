package io.tributary.lake;

import java.util.List;

/** One level of a prefix, as S3 lists it with delimiter '/': objects directly in it and sub-prefixes. */
public record Listing(List<ObjectInfo> objects, List<Location> prefixes) {
    public Listing {
        objects = List.copyOf(objects);
        prefixes = List.copyOf(prefixes);
    }
}
