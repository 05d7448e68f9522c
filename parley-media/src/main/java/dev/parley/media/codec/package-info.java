/** Payload conversions the relay applies when two legs share no codec. Depends on the JDK alone. */
package dev.parley.media.codec;
