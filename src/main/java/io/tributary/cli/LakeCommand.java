package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.DataSize;
import io.tributary.lake.Compression;
import io.tributary.lake.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lake", mixinStandardHelpOptions = true, description = "Look at what landed in the lake: list prefixes and print objects.",
        subcommands = {LakeCommand.Ls.class, LakeCommand.Cat.class})
final class LakeCommand {
    static String query(String location) {
        // Checked here first so a mistyped location fails fast with the same message the server gives.
        return URLEncoder.encode(Location.parse(location).toString(), StandardCharsets.UTF_8);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = {"List one level of a prefix: sub-prefixes (PRE) and objects with size and time, as `aws s3 ls`.",
                    "Without a location, list the buckets."})
    static final class Ls implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "LOCATION", arity = "0..1", description = "s3://bucket/prefix/ (a prefix ends with '/').")
        String location;

        @Override
        public Integer call() {
            TributaryClient c = client.client();
            if (location == null) {
                for (JsonNode b : c.get("/api/lake/buckets")) {
                    System.out.println(b.path("location").asText() + (b.path("immutable").asBoolean()
                            ? "  (immutable, retention " + b.path("retention").asText() + ")" : ""));
                }
                return ExitCodes.OK;
            }
            JsonNode listing = c.get("/api/lake/list?location=" + query(location));
            for (JsonNode p : listing.path("prefixes")) {
                System.out.printf("%30s PRE %s%n", "", Location.parse(p.asText()).key());
            }
            for (JsonNode o : listing.path("objects")) {
                System.out.printf("%-24s %10s %s%n", o.path("lastModified").asText(), DataSize.ofBytes(o.path("size").asLong()),
                        Location.parse(o.path("location").asText()).key());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cat", mixinStandardHelpOptions = true,
            description = "Print an object, decompressed according to its extension (.gz, .zip, .snappy, .zst); --raw prints the bytes as stored.")
    static final class Cat implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "LOCATION", description = "s3://bucket/key of an object.")
        String location;

        @Option(names = "--raw", description = "Do not decompress.")
        boolean raw;

        @Override
        public Integer call() throws IOException {
            Location parsed = Location.parse(location);
            byte[] body = client.client().send("GET", "/api/lake/object?location=" + query(location), new byte[0], Map.of()).body();
            OutputStream out = System.out;
            try (InputStream in = raw ? new ByteArrayInputStream(body)
                    : Compression.decoding(new ByteArrayInputStream(body), parsed.fileName())) {
                in.transferTo(out);
            } catch (IOException e) {
                throw io.tributary.common.TributaryException.invalidArgument("%s", parsed + " cannot be decompressed as " + Compression.forName(parsed.fileName()).firehoseName()
                        + " (" + e.getMessage() + "); use --raw to print it as stored");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
