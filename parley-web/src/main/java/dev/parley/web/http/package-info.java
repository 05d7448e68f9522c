/**
 * HTTP concerns on the Jetty level, apart from the routes: the TLS connector built from Parley's one TLS profile,
 * the security headers every HTTPS response carries, and the plain-HTTP port that only redirects.
 */
package dev.parley.web.http;
