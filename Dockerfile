# Tributary: the server by default; one analytics job with `docker run … tributary analyze latency-legs`.
#   docker build -t tributary .
#   docker run -p 8080:8080 -p 9200:9200 -v tributary-data:/data tributary
#   docker run --rm -e IMMUTABLE_BUCKET_NAME=archive -e AWS_ACCESS_KEY_ID=… -e AWS_SECRET_ACCESS_KEY=… -e AWS_REGION=us-east-1 \
#       tributary analyze latency-legs --output s3://reports/latency/

# --- build: a JDK 21 and the Maven wrapper; dependencies cached in their own layer ---
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline -DexcludeArtifactIds=opensearch
COPY src src
RUN ./mvnw -B -q -DskipTests package

# --- run: a slim JRE 21, a non-root user, data in a volume ---
FROM eclipse-temurin:21-jre
RUN groupadd --system tributary && useradd --system --gid tributary --home-dir /data --shell /usr/sbin/nologin tributary \
    && mkdir -p /opt/tributary /data && chown tributary:tributary /data
COPY --from=build /src/target/tributary.jar /opt/tributary/tributary.jar
COPY --from=build /src/target/lib /opt/tributary/lib
COPY samples /opt/tributary/samples
COPY docker/tributary /usr/local/bin/tributary
RUN chmod 755 /usr/local/bin/tributary
USER tributary
WORKDIR /data
ENV TRIBUTARY_SERVER_DATA_DIR=/data \
    TRIBUTARY_SERVER_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC"
EXPOSE 8080 9200
VOLUME ["/data"]
ENTRYPOINT ["tributary"]
CMD ["server"]
