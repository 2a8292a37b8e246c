package io.siphon.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void eachLineOfAConfigMessageBecomesAFieldError() {
        assertThat(
                        ApiErrors.fieldErrors(
                                "pipeline p:8: source: unknown key 'tabels': did you mean 'tables'?\n"
                                        + "pipeline p:12: 'mode' is 'sometimes' but must be one of"
                                        + " snapshot, cdc, snapshot+cdc\n"
                                        + "config.usr: unknown key 'usr': did you mean 'user'?\n"
                                        + "something went wrong without a place"))
                .containsExactly(
                        new Problems.FieldError(
                                "source.tabels",
                                "pipeline p:8: source: unknown key 'tabels': did you mean"
                                        + " 'tables'?"),
                        new Problems.FieldError(
                                "mode",
                                "pipeline p:12: 'mode' is 'sometimes' but must be one of"
                                        + " snapshot, cdc, snapshot+cdc"),
                        new Problems.FieldError(
                                "config.usr",
                                "config.usr: unknown key 'usr': did you mean 'user'?"),
                        new Problems.FieldError(null, "something went wrong without a place"));
    }
}
