package io.siphon.engine.state;

import io.siphon.spi.SiphonException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Writes ever new positions into a state store until it fails, then prints the failure's code and
 * message: run by {@link StateStoreFullTest} in a child process whose files may not grow past a
 * limit.
 */
public final class StateStoreFiller {

    private StateStoreFiller() {}

    /** Fills the store under {@code args[0]}. */
    public static void main(String[] args) {
        Random random = new Random(42);
        byte[] bytes = new byte[64 * 1024];
        try (StateStore state = StateStore.open(Path.of(args[0]))) {
            for (int i = 0; i < 100_000; i++) {
                random.nextBytes(bytes);
                state.saveOffset("p" + i, "postgres", HexFormat.of().formatHex(bytes));
            }
            System.out.println("no failure");
        } catch (SiphonException e) {
            System.out.println(e.code() + ": " + e.getMessage());
        }
    }
}
