package io.siphon.connector.postgres.cdc;

import io.siphon.connector.postgres.JsonText;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.SiphonException;
import java.util.Map;

/** Stores a {@link PgLsn} as {@code {"lsn":"0/16B3748"}}, readable in status output. */
public final class PgLsnCodec implements OffsetCodec<PgLsn> {

    private static final String LSN = "lsn";

    @Override
    public String toJson(PgLsn offset) {
        return JsonText.object(Map.of(LSN, offset.describe()));
    }

    @Override
    public PgLsn fromJson(String json) {
        try {
            String lsn = JsonText.parseObject(json).get(LSN);
            if (lsn == null) {
                throw new SiphonException(ErrorCode.DATA_INVALID, "it has no \"lsn\" field");
            }
            return PgLsn.parse(lsn);
        } catch (SiphonException e) {
            throw new SiphonException(
                    ErrorCode.STATE_STORE_FAILED,
                    "stored offset "
                            + json
                            + " is not a PostgreSQL offset: "
                            + e.getMessage()
                            + ". Was the state written by another connector?",
                    e);
        }
    }
}
