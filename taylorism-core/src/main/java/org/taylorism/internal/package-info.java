/**
 * Not API: taylorism's own internals. Types here, and in every package below {@code org.taylorism.internal},
 * are public only so that taylorism's other packages and modules (and its worker JVMs) can reach them; they
 * change without notice. Applications use {@code org.taylorism} and {@code org.taylorism.spi}.
 *
 * <p>This package holds what several of them share: the JSON mapper and its streaming shortcut
 * ({@link org.taylorism.internal.Json}, {@link org.taylorism.internal.PlainJson}), value conversion, spelling
 * rules, the user's cache and state directories, and {@link org.taylorism.internal.WorkerAccess}, the one door
 * into what {@code org.taylorism} keeps package-private.
 */
package org.taylorism.internal;
