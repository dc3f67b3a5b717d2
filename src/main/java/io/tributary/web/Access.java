package io.tributary.web;

import io.javalin.security.RouteRole;

/**
 * Route roles. Every route requires an authenticated principal unless it is registered as
 * {@link #PUBLIC}, so a route added without thinking about access is closed, not open.
 */
public enum Access implements RouteRole {
    /** No credentials needed: health, login, static assets. */
    PUBLIC,
}
