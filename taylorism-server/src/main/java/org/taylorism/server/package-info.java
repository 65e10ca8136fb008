/**
 * A Boss as a server: {@link org.taylorism.server.TaylorismServer} serves one Boss over an HTTP/JSON API (version
 * 1, below {@code /api/v1/}) behind a bearer token, with {@link org.taylorism.server.LiveSettings} as what clients
 * may change while the run goes on. Only {@code TaylorismServer}, {@code ServerOptions}, {@code LiveSettings} and
 * {@code SchedulerSettings} are public; the API's routes ({@code Api}), the token ({@code Bearer}), the batches
 * ({@code BatchBook}) and the event streams ({@code EventHub}) are the package's own.
 */
package org.taylorism.server;
