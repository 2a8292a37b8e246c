package io.siphon.server;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Spring configuration root of the server; started only through {@link SiphonServer}. */
@SpringBootApplication
@EnableScheduling
class ServerApplication {}
