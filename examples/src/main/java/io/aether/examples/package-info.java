/** Example slices and blueprints used by the demo and the tests. */
package io.aether.examples;
