package io.tributary.lake.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.DataSize;
import io.tributary.common.Durations;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.LifecycleRule;
import io.tributary.lake.Listing;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object store on any S3-compatible service through the AWS SDK for Java v2: endpoint
 * override and path-style access for S3-compatible servers, credentials from configuration or the
 * default AWS chain, multipart upload above a threshold, and the SDK's standard retries with
 * exponential backoff. Every SDK exception is converted in {@link #failure} with the location named.
 *
 * <p>Bucket rules (immutable, retention, lifecycle) are Tributary configuration and enforced here,
 * as in the local store; they are kept in {@code stateDirectory} because S3 has no place for them.
 * Writes to an immutable bucket are conditional ({@code If-None-Match: *}), so S3 itself refuses to
 * replace an object even when Object Lock would only add a version; when the bucket has Object Lock
 * enabled, objects are also written with COMPLIANCE retention until the bucket's retention ends.
 *
 * <p>Thread-safe (the SDK client is).
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    /**
     * @param endpoint an S3-compatible endpoint; empty for AWS S3 in {@code region}
     * @param credentials access key id and secret; empty for the default AWS credential chain
     * @param multipartThreshold objects larger than this are uploaded in parts of {@code partSize}
     * @param maxAttempts attempts per request, with exponential backoff between them
     * @param stateDirectory where bucket rules are kept
     */
    public record Config(Optional<URI> endpoint, String region, boolean pathStyle, Optional<Map.Entry<String, String>> credentials,
            DataSize multipartThreshold, DataSize partSize, int maxAttempts, Path stateDirectory) {
        public Config {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(region, "region is null");
            requireNonNull(credentials, "credentials is null");
            requireNonNull(multipartThreshold, "multipartThreshold is null");
            requireNonNull(partSize, "partSize is null");
            requireNonNull(stateDirectory, "stateDirectory is null");
            if (partSize.bytes() < 5L * 1024 * 1024) {
                throw TributaryException.invalidArgument("lake.s3.part-size must be at least 5MB, S3's minimum part size, got %s", partSize);
            }
            if (multipartThreshold.compareTo(partSize) < 0) {
                throw TributaryException.invalidArgument("lake.s3.multipart-threshold (%s) must not be smaller than lake.s3.part-size (%s)",
                        multipartThreshold, partSize);
            }
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw TributaryException.invalidArgument("lake.s3.max-attempts must be between 1 and 20, got %d", maxAttempts);
            }
        }

        @Override
        public String toString() {
            return "Config[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + ", credentials="
                    + credentials.map(c -> c.getKey() + "/****").orElse("default chain") + "]";
        }
    }

    private final Config config;
    private final Clock clock;
    private final S3Client s3;
    private final Path bucketsDirectory;
    private final Map<String, BucketSpec> buckets = new ConcurrentHashMap<>();
    /** Buckets found with Object Lock enabled: objects get COMPLIANCE retention. */
    private final Map<String, Boolean> objectLock = new ConcurrentHashMap<>();

    public S3ObjectStore(Config config, Clock clock) {
        this(config, clock, List.of());
    }

    /** With interceptors that observe the SDK's requests (tests record the headers sent). */
    S3ObjectStore(Config config, Clock clock, List<ExecutionInterceptor> interceptors) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.bucketsDirectory = config.stateDirectory().resolve("buckets");
        AwsCredentialsProvider credentials = config.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(AwsBasicCredentials.create(c.getKey(), c.getValue())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                // S3-compatible servers often reject the SDK's newer default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts()).build()).executionInterceptors(List.copyOf(interceptors)));
        config.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
        try {
            Files.createDirectories(bucketsDirectory);
            try (DirectoryStream<Path> specs = Files.newDirectoryStream(bucketsDirectory, "*.json")) {
                for (Path file : specs) {
                    BucketSpec spec = readSpec(file);
                    buckets.put(spec.name(), spec);
                }
            }
        } catch (IOException e) {
            s3.close();
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot read S3 bucket rules from " + bucketsDirectory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized BucketSpec createBucket(BucketSpec spec) {
        BucketSpec existing = buckets.get(spec.name());
        if (existing != null && existing.immutable()) {
            if (!spec.immutable()) {
                throw new TributaryException(ErrorCode.IMMUTABLE, "bucket '" + spec.name()
                        + "' is immutable (write-once) and cannot be made mutable, as with S3 Object Lock in compliance mode");
            }
            if (spec.retention().compareTo(existing.retention()) < 0) {
                throw new TributaryException(ErrorCode.IMMUTABLE, "the retention of immutable bucket '" + spec.name() + "' is "
                        + Durations.format(existing.retention()) + " and cannot be shortened to " + Durations.format(spec.retention()));
            }
        }
        String where = "s3://" + spec.name() + "/";
        try {
            boolean exists;
            try {
                s3.headBucket(b -> b.bucket(spec.name()));
                exists = true;
            } catch (AwsServiceException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                exists = false;
            }
            if (!exists) {
                s3.createBucket(b -> b.bucket(spec.name()).objectLockEnabledForBucket(spec.immutable() ? Boolean.TRUE : null));
                if (spec.immutable()) {
                    // Explicit, without a default rule: Tributary sends each object's retention itself.
                    s3.putObjectLockConfiguration(b -> b.bucket(spec.name())
                            .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)));
                }
                LOG.info("Created S3 bucket {}{}", spec.name(), spec.immutable() ? " with Object Lock" : "");
            }
            if (spec.immutable()) {
                objectLock.put(spec.name(), objectLockEnabled(spec.name()));
                if (!objectLock.get(spec.name())) {
                    LOG.warn("Immutable bucket {} has no S3 Object Lock: Tributary refuses overwrites (conditional writes) and deletes "
                            + "itself, but other S3 clients can still delete its objects", spec.name());
                }
            }
        } catch (SdkException e) {
            throw failure("creating or checking bucket " + where, e);
        }
        try {
            writeSpec(spec);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "saving the rules of bucket " + spec.name() + " failed: " + e.getMessage(), e);
        }
        buckets.put(spec.name(), spec);
        return spec;
    }

    private boolean objectLockEnabled(String bucket) {
        try {
            var response = s3.getObjectLockConfiguration(b -> b.bucket(bucket));
            return response.objectLockConfiguration() != null
                    && response.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
        } catch (AwsServiceException e) {
            // 404 ObjectLockConfigurationNotFoundError: the bucket has no Object Lock.
            if (e.statusCode() == 404 || e.statusCode() == 400) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<BucketSpec> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    @Override
    public List<BucketSpec> buckets() {
        return buckets.values().stream().sorted(Comparator.comparing(BucketSpec::name)).toList();
    }

    private BucketSpec requireBucket(String name) {
        BucketSpec spec = buckets.get(name);
        if (spec == null) {
            throw TributaryException.notFound("bucket '%s' does not exist; declare it under pipeline.buckets in tributary.yaml", name);
        }
        return spec;
    }

    private BucketSpec requireObject(Location location) {
        BucketSpec spec = requireBucket(location.bucket());
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw TributaryException.invalidArgument("%s names a prefix, not an object", location);
        }
        return spec;
    }

    @Override
    public void put(Location location, Path source) {
        try {
            write(location, Files.size(source), RequestBody.fromFile(source), source, null, requireObject(location).immutable());
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading " + source + " to upload it to " + location + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void put(Location location, byte[] data) {
        write(location, data.length, RequestBody.fromBytes(data), null, data, requireObject(location).immutable());
    }

    @Override
    public boolean putIfAbsent(Location location, byte[] data) {
        requireObject(location);
        return conditional(() -> write(location, data.length, RequestBody.fromBytes(data), null, data, true));
    }

    @Override
    public boolean putIfAbsent(Location location, Path source) {
        requireObject(location);
        return conditional(() -> {
            try {
                write(location, Files.size(source), RequestBody.fromFile(source), source, null, true);
            } catch (IOException e) {
                throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading " + source + " failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Runs a conditional write: false when S3 answers 412 (an object exists). A 409 means another
     * conditional write to the key is in progress; it is retried, since only its outcome decides.
     */
    private static boolean conditional(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return true;
            } catch (TributaryException e) {
                if (e.code() == ErrorCode.IMMUTABLE && e.getCause() instanceof AwsServiceException s && s.statusCode() == 412) {
                    return false;
                }
                if (attempt < 5 && e.getCause() instanceof AwsServiceException s && s.statusCode() == 409) {
                    try {
                        Thread.sleep(50L << attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * One upload, single or multipart. With {@code ifNoneMatch} the write is conditional and a 412
     * (an object exists) becomes {@code IMMUTABLE}.
     */
    private void write(Location location, long size, RequestBody body, Path file, byte[] bytes, boolean ifNoneMatch) {
        BucketSpec bucket = requireObject(location);
        boolean lock = bucket.immutable() && objectLock.getOrDefault(bucket.name(), false);
        Instant retainUntil = clock.instant().plus(bucket.retention());
        try {
            if (size > config.multipartThreshold().bytes()) {
                multipart(location, size, file, bytes, ifNoneMatch, lock, retainUntil);
                return;
            }
            PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(location.bucket()).key(location.key());
            if (ifNoneMatch) {
                request.ifNoneMatch("*");
            }
            if (lock) {
                request.objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(retainUntil);
            }
            s3.putObject(request.build(), body);
        } catch (SdkException e) {
            if (e instanceof AwsServiceException s && s.statusCode() == 412) {
                throw new TributaryException(ErrorCode.IMMUTABLE, location + " cannot be overwritten: "
                        + (bucket.immutable() ? "bucket '" + location.bucket() + "' is immutable (write-once, as S3 Object Lock in compliance mode)"
                                : "an object exists there"), e);
            }
            throw failure("writing " + location, e);
        }
    }

    private void multipart(Location location, long size, Path file, byte[] bytes, boolean ifNoneMatch, boolean lock, Instant retainUntil) {
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(location.bucket()).key(location.key());
            if (lock) {
                b.objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(retainUntil);
            }
        }).uploadId();
        try {
            long partSize = config.partSize().bytes();
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                int length = (int) Math.min(partSize, size - offset);
                byte[] part = new byte[length];
                if (bytes != null) {
                    System.arraycopy(bytes, (int) offset, part, 0, length);
                } else {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(part);
                        while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                            // read the part fully
                        }
                    } catch (IOException e) {
                        throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading " + file + " failed: " + e.getMessage(), e);
                    }
                }
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> {
                b.bucket(location.bucket()).key(location.key()).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
                if (ifNoneMatch) {
                    b.ifNoneMatch("*");
                }
            });
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
            } catch (SdkException abort) {
                LOG.warn("Aborting multipart upload {} of {} failed; a lifecycle rule on the bucket should clean it: {}", uploadId,
                        location, abort.getMessage());
            }
            throw e;
        }
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        requireObject(location);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            return Optional.of(new ObjectInfo(location, head.contentLength(), head.lastModified()));
        } catch (SdkException e) {
            if (e instanceof AwsServiceException s && s.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("reading the metadata of " + location, e);
        }
    }

    @Override
    public InputStream open(Location location) {
        requireObject(location);
        try {
            return s3.getObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (SdkException e) {
            throw failure("reading " + location, e);
        }
    }

    @Override
    public Stream<ObjectInfo> list(Location prefix) {
        requireBucket(prefix.bucket());
        // The paginator fetches pages while the stream is consumed, so failures surface there too.
        java.util.Iterator<S3Object> pages = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(prefix.bucket())
                .prefix(prefix.key()).build()).contents().iterator();
        java.util.Iterator<ObjectInfo> converted = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw failure("listing " + prefix, e);
                }
            }

            @Override
            public ObjectInfo next() {
                try {
                    return info(prefix.bucket(), pages.next());
                } catch (SdkException e) {
                    throw failure("listing " + prefix, e);
                }
            }
        };
        return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(converted,
                java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false);
    }

    @Override
    public Listing listLevel(Location prefix) {
        requireBucket(prefix.bucket());
        List<ObjectInfo> objects = new ArrayList<>();
        List<Location> prefixes = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(prefix.bucket())
                    .prefix(prefix.key()).delimiter("/").build())) {
                for (S3Object o : page.contents()) {
                    objects.add(info(prefix.bucket(), o));
                }
                for (CommonPrefix p : page.commonPrefixes()) {
                    prefixes.add(new Location(prefix.bucket(), p.prefix()));
                }
            }
        } catch (SdkException e) {
            throw failure("listing " + prefix, e);
        }
        return new Listing(objects, prefixes);
    }

    private static ObjectInfo info(String bucket, S3Object o) {
        return new ObjectInfo(new Location(bucket, o.key()), o.size(), o.lastModified());
    }

    @Override
    public void delete(Location location) {
        BucketSpec bucket = requireObject(location);
        if (bucket.immutable()) {
            Optional<ObjectInfo> info = stat(location);
            if (info.isPresent() && info.get().lastModified().plus(bucket.retention()).isAfter(clock.instant())) {
                throw new TributaryException(ErrorCode.IMMUTABLE, location + " cannot be deleted before its retention of "
                        + Durations.format(bucket.retention()) + " ends: bucket '" + location.bucket()
                        + "' is immutable (write-once, as S3 Object Lock in compliance mode)");
            }
        }
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (SdkException e) {
            throw failure("deleting " + location, e);
        }
    }

    @Override
    public int applyLifecycle(Instant now) {
        int deleted = 0;
        for (BucketSpec bucket : buckets()) {
            for (LifecycleRule rule : bucket.lifecycle()) {
                List<ObjectInfo> expired;
                try (Stream<ObjectInfo> objects = list(new Location(bucket.name(), rule.prefix()))) {
                    expired = objects.filter(o -> !o.lastModified().plus(rule.expireAfter()).isAfter(now))
                            .filter(o -> !bucket.immutable() || !o.lastModified().plus(bucket.retention()).isAfter(now))
                            .toList();
                }
                for (ObjectInfo object : expired) {
                    try {
                        s3.deleteObject(b -> b.bucket(bucket.name()).key(object.location().key()));
                        deleted++;
                    } catch (SdkException e) {
                        LOG.warn("Lifecycle could not delete {}: {}", object.location(), e.getMessage());
                    }
                }
            }
        }
        if (deleted > 0) {
            LOG.info("Lifecycle rules expired {} object(s)", deleted);
        }
        return deleted;
    }

    @Override
    public Optional<Path> localPath(Location location) {
        return Optional.empty();
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The one place where SDK exceptions become product exceptions, naming what failed and where. */
    private TributaryException failure(String what, SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
            String message = what + " failed: S3 answered " + s.statusCode() + (code == null || code.isEmpty() ? "" : " " + code)
                    + (s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null ? " (" + s.awsErrorDetails().errorMessage() + ")" : "");
            return switch (s.statusCode()) {
                case 404 -> new TributaryException(ErrorCode.NOT_FOUND, message, e);
                case 403 -> new TributaryException(ErrorCode.ACCESS_DENIED, message + "; check lake.s3.access-key-id and the bucket policy", e);
                default -> new TributaryException(ErrorCode.EXTERNAL_FAILURE, message, e);
            };
        }
        if (e instanceof SdkClientException) {
            return new TributaryException(ErrorCode.EXTERNAL_FAILURE, what + " failed: cannot reach S3"
                    + config.endpoint().map(u -> " at " + u).orElse(" in " + config.region()) + " (" + e.getMessage() + ")", e);
        }
        return new TributaryException(ErrorCode.EXTERNAL_FAILURE, what + " failed: " + e.getMessage(), e);
    }

    private void writeSpec(BucketSpec spec) throws IOException {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", spec.name()).put("immutable", spec.immutable()).put("retention", Durations.format(spec.retention()));
        ArrayNode rules = node.putArray("lifecycle");
        for (LifecycleRule rule : spec.lifecycle()) {
            rules.addObject().put("prefix", rule.prefix()).put("expireAfter", Durations.format(rule.expireAfter()));
        }
        Path target = bucketsDirectory.resolve(spec.name() + ".json");
        Path tmp = bucketsDirectory.resolve(spec.name() + ".json.tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(Json.mapper().writeValueAsBytes(node)));
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static BucketSpec readSpec(Path file) throws IOException {
        JsonNode node = Json.mapper().readTree(file.toFile());
        List<LifecycleRule> rules = new ArrayList<>();
        for (JsonNode rule : node.path("lifecycle")) {
            rules.add(new LifecycleRule(rule.path("prefix").asText(), Durations.parse(rule.path("expireAfter").asText())));
        }
        return new BucketSpec(node.path("name").asText(), node.path("immutable").asBoolean(),
                Durations.parse(node.path("retention").asText("0s")), rules);
    }
}
