package io.siphon.engine.spec;

/** What a pipeline moves. */
public enum Mode {
    /** Copy the tables as of one point in time, then stop. */
    SNAPSHOT("snapshot"),
    /** Stream changes from now on (or from a given position). */
    CDC("cdc"),
    /** Copy the tables, then stream the changes from exactly that point. */
    SNAPSHOT_CDC("snapshot+cdc");

    private final String text;

    Mode(String text) {
        this.text = text;
    }

    /** The form written in specs. */
    public String text() {
        return text;
    }

    /** The mode written as {@code text}. */
    static Mode fromText(String text) {
        for (Mode m : values()) {
            if (m.text.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException(text);
    }
}
