/**
 * What this application adds to Camel where Camel's own behaviour does not fit a live stream, in one place, each
 * with the Camel version it was written against (4.17.0; the Karaf bundle also runs on 4.10.7) and what it works
 * around. Remove one when Camel does what it does.
 *
 * <ul>
 * <li>{@link io.livecamel.workarounds.LiveRouteFiles} replaces the handler of Camel's route reload
 * ({@code RouteWatcherReloadStrategy}, camel-main 4.17.0): by default a reload removes every route and route
 * template and loads the files again, so a file with several routes is loaded once per route ("duplicate route id
 * detected"), the routes made from templates are not made again, and a file saved with a mistake leaves the
 * application without routes (the last was reported upstream as CAMEL-24860). It applies only the saved file, puts
 * the last good version back on an error, and re-makes the channel routes from an edited template. No upstream issue
 * was found for the first two.</li>
 * <li>{@link io.livecamel.workarounds.EventGate}: while those routes are replaced, no channel event may be half-way
 * through them. Camel has no "hold a route between two exchanges"; stopping a seda consumer waits for a whole
 * {@code pollTimeout} with nothing to poll, which never comes under a steady stream. A route policy holds each
 * channel route at its entrance instead. No upstream issue: it is what this application needs of a reload.</li>
 * <li>{@link io.livecamel.workarounds.LastExchangeGauge}: camel-micrometer (4.13 and later, CAMEL-22153,
 * apache/camel#18365) registers {@code camel.exchanges.last.timestamp} after a check-then-register when an exchange
 * finishes; two finishing together first log "This Gauge has been already registered" (reported in that pull
 * request's comments). It registers the gauge once before any route runs.</li>
 * <li>{@link io.livecamel.workarounds.StreamKeys}: Camel Main's placeholders summary prints property values unless
 * the name ends in one of Camel's sensitive words; "key" is not one. No upstream issue: Camel's list is a choice.</li>
 * </ul>
 */
package io.livecamel.workarounds;
