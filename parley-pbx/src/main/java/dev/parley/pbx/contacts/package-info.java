/**
 * A user's personal contacts with pictures: the {@link dev.parley.pbx.contacts.Contact} value, the repository
 * port, {@link dev.parley.pbx.contacts.Contacts} (field rules and per-user limits) and
 * {@link dev.parley.pbx.contacts.PictureType} (an image's type from its magic bytes, never from what the client
 * declared). Depends on {@code directory} (user ids) and the JDK.
 */
package dev.parley.pbx.contacts;
