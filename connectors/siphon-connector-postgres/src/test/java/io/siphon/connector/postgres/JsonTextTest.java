package io.siphon.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.spi.SiphonException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void writesAndReadsArraysOfStrings() {
        List<String> values = Arrays.asList("42", "a \"quoted\" \\ value\n\t", null, "", "ü😀");
        String json = JsonText.array(values);
        assertThat(json)
                .isEqualTo("[\"42\",\"a \\\"quoted\\\" \\\\ value\\n\\t\",null,\"\",\"ü😀\"]");
        assertThat(JsonText.parseArray(json)).isEqualTo(values);
        assertThat(JsonText.parseArray(" [ ] ")).isEmpty();
    }

    @Test
    void readsUnicodeEscapes() {
        assertThat(JsonText.parseArray("[\"\\u00e9\\ud83d\\ude00\\/\"]")).containsExactly("é😀/");
    }

    @Test
    void writesAndReadsFlatObjects() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("lsn", "0/1");
        fields.put("slot", null);
        assertThat(JsonText.object(fields)).isEqualTo("{\"lsn\":\"0/1\",\"slot\":null}");
        assertThat(JsonText.parseObject("{\"lsn\":\"0/1\",\"slot\":null}")).isEqualTo(fields);
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"", "[1]", "[\"a\"", "{\"a\":1}", "[\"a\"] x", "{\"a\"}"}) {
            assertThatThrownBy(() -> JsonText.parseArray(bad.startsWith("{") ? "x" : bad))
                    .isInstanceOf(SiphonException.class);
            assertThatThrownBy(() -> JsonText.parseObject(bad)).isInstanceOf(SiphonException.class);
        }
    }
}
