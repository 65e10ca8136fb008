/**
 * The Java client of a taylorism server: {@link org.taylorism.client.TaylorismClient}, whose verbs mirror a Boss's,
 * and {@link org.taylorism.client.ServerAddress}, where a server listens and how local clients find it.
 */
package org.taylorism.client;
