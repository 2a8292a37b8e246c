/**
 * The client side of the Siphon server's REST API for the {@code siphon} command: {@link
 * io.siphon.cli.client.SiphonClient} sends requests and turns the server's problem answers into
 * {@link io.siphon.spi.SiphonException}s with clear messages; {@link
 * io.siphon.cli.client.CredentialsFile} keeps the token {@code siphon login} obtained.
 */
package io.siphon.cli.client;
