package io.tributary.web;

import io.javalin.Javalin;

/** A group of HTTP routes a capability contributes to a listener. */
@FunctionalInterface
public interface Routes {
    void register(Javalin app);
}
