package io.siphon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code siphon <version>}, from the version file the build writes into the jar. */
public final class SiphonVersion implements IVersionProvider {

    /** The version of this build, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = SiphonVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"siphon " + version()};
    }
}
