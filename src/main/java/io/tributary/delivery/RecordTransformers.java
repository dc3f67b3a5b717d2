package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.delivery.spi.RecordTransformer;
import io.tributary.delivery.spi.RecordTransformerFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The transform types the server knows: those found by {@link ServiceLoader} (hop-stamp among
 * them) plus any given explicitly (tests, embedding).
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordTransformers {
    private final Map<String, RecordTransformerFactory> factories;

    private RecordTransformers(Map<String, RecordTransformerFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** The factories on the class path, then {@code extra} (which win on a type clash). */
    public static RecordTransformers load(List<RecordTransformerFactory> extra) {
        Map<String, RecordTransformerFactory> all = new LinkedHashMap<>();
        for (RecordTransformerFactory f : ServiceLoader.load(RecordTransformerFactory.class, RecordTransformers.class.getClassLoader())) {
            all.put(f.type(), f);
        }
        extra.forEach(f -> all.put(requireNonNull(f.type(), "type is null"), f));
        return new RecordTransformers(all);
    }

    public List<String> types() {
        return factories.keySet().stream().sorted().toList();
    }

    /** Creates a transform, naming the delivery stream and the processor when it cannot be made. */
    public RecordTransformer create(String deliveryStream, ProcessorSpec processor) {
        RecordTransformerFactory factory = factories.get(processor.type());
        if (factory == null) {
            throw TributaryException.invalidArgument("Delivery stream '%s': processor type '%s' is unknown; known types: %s "
                    + "(others are added as RecordTransformerFactory plug-ins)", deliveryStream, processor.type(), types());
        }
        try {
            return requireNonNull(factory.create(processor.parameters()), "factory returned null");
        } catch (TributaryException e) {
            throw TributaryException.invalidArgument("Delivery stream '%s': %s", deliveryStream, e.getMessage());
        } catch (RuntimeException e) {
            throw TributaryException.invalidArgument("Delivery stream '%s': processor '%s' cannot be created: %s", deliveryStream,
                    processor.type(), e.getMessage());
        }
    }
}
