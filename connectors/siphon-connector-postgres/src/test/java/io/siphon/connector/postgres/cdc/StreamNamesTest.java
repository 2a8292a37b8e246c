package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline's slot and publication names. */
class StreamNamesTest {

    private static Config config(String... keysAndValues) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("url", "jdbc:postgresql://localhost/db");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Config.of(raw, PostgresOptions.ALL, List.of("type"));
    }

    @Test
    void namesBothAfterThePipelineInLowerCaseWithUnderscores() {
        assertThat(StreamNames.of("my-pipe", config()))
                .isEqualTo(new StreamNames("siphon_my_pipe", "siphon_my_pipe", false));
        assertThat(StreamNames.of("Shop.Orders \u00fc 2", config()).slot())
                .isEqualTo("siphon_shop_orders___2");
    }

    @Test
    void cutsLongNamesToPostgresLimitOf63Bytes() {
        String slot = StreamNames.of("p".repeat(100), config()).slot();
        assertThat(slot).hasSize(63).isEqualTo("siphon_" + "p".repeat(56));
    }

    @Test
    void takesConfiguredNames() {
        assertThat(
                        StreamNames.of(
                                "my-pipe",
                                config("slot-name", "orders_slot", "publication-name", "all_pub")))
                .isEqualTo(new StreamNames("orders_slot", "all_pub", true));
    }

    @Test
    void refusesAConfiguredNamePostgresWouldRefuse() {
        assertThatThrownBy(() -> StreamNames.of("p", config("slot-name", "Orders-Slot")))
                .isInstanceOf(SiphonException.class)
                .hasMessage(
                        "'slot-name' is 'Orders-Slot' but must be 1 to 63 lower-case letters,"
                                + " digits or '_' (the rule for replication slot names), for"
                                + " example 'orders_slot'")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
    }
}
