/**
 * The record-transform plug-in interface of lake delivery, Tributary's counterpart of Firehose's
 * Lambda data transformation. Implementations are found with {@link java.util.ServiceLoader}.
 */
package io.tributary.delivery.spi;
