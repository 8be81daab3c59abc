/**
 * What both ends of the edge-to-node link share: the streams ({@link io.herald.transport.link.LinkStreams}). The
 * messages themselves are SBE codecs ({@code herald-codecs}).
 */
package io.herald.transport.link;
