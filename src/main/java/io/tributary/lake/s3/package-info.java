/**
 * The lake on any S3-compatible service, through the AWS SDK for Java v2. Nothing outside this
 * package sees the SDK; the rest of the product talks to {@link io.tributary.lake.ObjectStore}.
 */
package io.tributary.lake.s3;
