/**
 * The lexical ground of SIP (RFC 3261 §25.1): character classes, generic parameters and the syntax error every
 * SIP parser reports. A leaf package: it depends on {@code dev.parley.common} and the JDK only.
 */
package dev.parley.sip.text;
