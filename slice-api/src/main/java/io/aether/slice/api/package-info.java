/** What slice authors compile against: the slice declaration, entry points and {@code SliceContext}. Depends on the JDK only. */
package io.aether.slice.api;
