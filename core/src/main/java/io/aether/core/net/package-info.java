/** Node-to-node transport: length-prefixed, CRC-checked binary frames over Vert.x TCP. Independent of every other package. */
package io.aether.core.net;
