package io.siphon.connector.postgres.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.connector.postgres.cdc.PgOutputMessage.Begin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Column;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Commit;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Delete;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Insert;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Message;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Origin;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Relation;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Truncate;
import io.siphon.connector.postgres.cdc.PgOutputMessage.TupleData;
import io.siphon.connector.postgres.cdc.PgOutputMessage.TupleData.Kind;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Type;
import io.siphon.connector.postgres.cdc.PgOutputMessage.Update;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pgoutput message type, built byte by byte as PostgreSQL's protocol docs lay them out. */
class PgOutputDecoderTest {

    /** 2024-02-29T12:34:56.123456Z in microseconds since 2000-01-01. */
    private static final long COMMIT_MICROS =
            (Instant.parse("2024-02-29T12:34:56Z").getEpochSecond() - 946_684_800L) * 1_000_000L
                    + 123_456L;

    private static final Instant COMMIT_TIME = Instant.parse("2024-02-29T12:34:56.123456Z");

    @Test
    void decodesBeginWithCommitPositionTimeAndAnUnsignedXid() {
        byte[] m = message('B').int64(0x16B3748L).int64(COMMIT_MICROS).int32(0xFFFF_FFFE).bytes();
        assertThat(decode(m))
                .isEqualTo(new Begin(new PgLsn(0x16B3748L), COMMIT_TIME, 4_294_967_294L));
    }

    @Test
    void decodesCommitWithItsEndPosition() {
        byte[] m = message('C').int8(0).int64(0x100L).int64(0x128L).int64(COMMIT_MICROS).bytes();
        assertThat(decode(m))
                .isEqualTo(new Commit(new PgLsn(0x100L), new PgLsn(0x128L), COMMIT_TIME));
    }

    @Test
    void decodesTimestampsBefore2000() {
        byte[] m = message('B').int64(1).int64(-1L).int32(7).bytes();
        assertThat(((Begin) decode(m)).commitTime())
                .isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void decodesOrigin() {
        byte[] m = message('O').int64(0x42L).string("other_server").bytes();
        assertThat(decode(m)).isEqualTo(new Origin(new PgLsn(0x42L), "other_server"));
    }

    @Test
    void decodesRelationWithKeyFlagsTypesAndModifiers() {
        byte[] m =
                message('R')
                        .int32(16_385)
                        .string("public")
                        .string("Mixed \"Case\" \u00fc")
                        .int8('d')
                        .int16(3)
                        .int8(1)
                        .string("id")
                        .int32(23)
                        .int32(-1)
                        .int8(0)
                        .string("name")
                        .int32(1043)
                        .int32(54)
                        .int8(0)
                        .string("mood")
                        .int32(0x8000_0001)
                        .int32(-1)
                        .bytes();
        assertThat(decode(m))
                .isEqualTo(
                        new Relation(
                                16_385,
                                "public",
                                "Mixed \"Case\" \u00fc",
                                'd',
                                List.of(
                                        new Column("id", true, 23, -1),
                                        new Column("name", false, 1043, 54),
                                        new Column("mood", false, 2_147_483_649L, -1))));
    }

    @Test
    void decodesType() {
        byte[] m = message('Y').int32(16_400).string("public").string("mood").bytes();
        assertThat(decode(m)).isEqualTo(new Type(16_400, "public", "mood"));
    }

    @Test
    void decodesInsertWithTextNullAndUtf8Values() {
        byte[] m =
                message('I')
                        .int32(16_385)
                        .int8('N')
                        .int16(3)
                        .text("42")
                        .nul()
                        .text("caf\u00e9 \uD83D\uDE00\n\u0000x")
                        .bytes();
        assertThat(decode(m))
                .isEqualTo(
                        new Insert(
                                16_385,
                                tuple(
                                        new Kind[] {Kind.TEXT, Kind.NULL, Kind.TEXT},
                                        "42",
                                        null,
                                        "caf\u00e9 \uD83D\uDE00\n\u0000x")));
    }

    @Test
    void decodesUpdateWithoutOldRow() {
        byte[] m = message('U').int32(1).int8('N').int16(2).text("1").unchanged().bytes();
        assertThat(decode(m))
                .isEqualTo(
                        new Update(
                                1,
                                null,
                                false,
                                tuple(new Kind[] {Kind.TEXT, Kind.UNCHANGED}, "1", null)));
    }

    @Test
    void decodesUpdateWithOldKey() {
        byte[] m =
                message('U')
                        .int32(1)
                        .int8('K')
                        .int16(2)
                        .text("1")
                        .nul()
                        .int8('N')
                        .int16(2)
                        .text("2")
                        .text("b")
                        .bytes();
        assertThat(decode(m))
                .isEqualTo(
                        new Update(
                                1,
                                tuple(new Kind[] {Kind.TEXT, Kind.NULL}, "1", null),
                                true,
                                tuple(new Kind[] {Kind.TEXT, Kind.TEXT}, "2", "b")));
    }

    @Test
    void decodesUpdateWithOldFullRow() {
        byte[] m =
                message('U')
                        .int32(1)
                        .int8('O')
                        .int16(2)
                        .text("1")
                        .text("a")
                        .int8('N')
                        .int16(2)
                        .text("1")
                        .text("b")
                        .bytes();
        Update u = (Update) decode(m);
        assertThat(u.keyOnly()).isFalse();
        assertThat(u.before()).isEqualTo(tuple(new Kind[] {Kind.TEXT, Kind.TEXT}, "1", "a"));
        assertThat(u.after()).isEqualTo(tuple(new Kind[] {Kind.TEXT, Kind.TEXT}, "1", "b"));
    }

    @Test
    void decodesDeleteWithKeyOrFullOldRow() {
        byte[] key = message('D').int32(9).int8('K').int16(2).text("7").nul().bytes();
        byte[] full = message('D').int32(9).int8('O').int16(2).text("7").text("x").bytes();
        assertThat(decode(key))
                .isEqualTo(
                        new Delete(9, tuple(new Kind[] {Kind.TEXT, Kind.NULL}, "7", null), true));
        assertThat(decode(full))
                .isEqualTo(
                        new Delete(9, tuple(new Kind[] {Kind.TEXT, Kind.TEXT}, "7", "x"), false));
    }

    @Test
    void decodesTruncateWithItsOptions() {
        byte[] plain = message('T').int32(1).int8(0).int32(5).bytes();
        byte[] both = message('T').int32(2).int8(3).int32(5).int32(6).bytes();
        byte[] restart = message('T').int32(1).int8(2).int32(5).bytes();
        assertThat(decode(plain)).isEqualTo(new Truncate(false, false, List.of(5L)));
        assertThat(decode(both)).isEqualTo(new Truncate(true, true, List.of(5L, 6L)));
        assertThat(decode(restart)).isEqualTo(new Truncate(false, true, List.of(5L)));
    }

    @Test
    void decodesTransactionalAndStandaloneMessages() {
        byte[] standalone =
                message('M').int8(0).int64(0x200L).string("siphon-heartbeat").int32(0).bytes();
        byte[] transactional =
                message('M').int8(1).int64(0x300L).string("app").int32(3).raw(1, 2, 3).bytes();
        assertThat(decode(standalone))
                .isEqualTo(new Message(false, new PgLsn(0x200L), "siphon-heartbeat", new byte[0]));
        assertThat(decode(transactional))
                .isEqualTo(new Message(true, new PgLsn(0x300L), "app", new byte[] {1, 2, 3}));
    }

    @Test
    void decodesFromTheMiddleOfALargerArray() {
        byte[] m = message('Y').int32(1).string("s").string("t").bytes();
        byte[] padded = new byte[m.length + 10];
        System.arraycopy(m, 0, padded, 5, m.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 5, m.length).slice();
        assertThat(PgOutputDecoder.decode(slice)).isEqualTo(new Type(1, "s", "t"));
    }

    @Test
    void refusesStreamingMessagesOfLaterProtocolVersions() {
        assertThatThrownBy(() -> decode(message('S').int32(1).int8(1).bytes()))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("unknown message type 'S'")
                .extracting(e -> ((SiphonException) e).code())
                .isEqualTo(ErrorCode.DATA_INVALID);
    }

    @Test
    void refusesATruncatedMessage() {
        byte[] m = message('I').int32(1).int8('N').int16(1).int8('t').int32(10).raw(1, 2).bytes();
        assertThatThrownBy(() -> decode(m))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("'I' message ends early");
        byte[] unterminated = message('Y').int32(1).raw('a', 'b').bytes();
        assertThatThrownBy(() -> decode(unterminated)).hasMessageContaining("ends early");
    }

    @Test
    void refusesBinaryValuesAndTrailingBytes() {
        byte[] binary = message('I').int32(1).int8('N').int16(1).int8('b').int32(0).bytes();
        assertThatThrownBy(() -> decode(binary)).hasMessageContaining("kind 'b'");
        byte[] trailing = message('Y').int32(1).string("s").string("t").int8(0).bytes();
        assertThatThrownBy(() -> decode(trailing)).hasMessageContaining("1 bytes left");
        byte[] noNew = message('U').int32(1).int8('X').bytes();
        assertThatThrownBy(() -> decode(noNew)).hasMessageContaining("found 'X'");
    }

    private static PgOutputMessage decode(byte[] message) {
        return PgOutputDecoder.decode(ByteBuffer.wrap(message));
    }

    private static TupleData tuple(Kind[] kinds, String... texts) {
        return new TupleData(kinds, texts);
    }

    private static Bytes message(char tag) {
        return new Bytes().int8(tag);
    }

    /** A message as the server writes it: big-endian integers, zero-terminated strings. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes int8(int v) {
            out.write(v);
            return this;
        }

        Bytes int16(int v) {
            return raw(v >> 8, v);
        }

        Bytes int32(int v) {
            return raw(v >> 24, v >> 16, v >> 8, v);
        }

        Bytes int64(long v) {
            return int32((int) (v >>> 32)).int32((int) v);
        }

        Bytes string(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return int8(0);
        }

        Bytes text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int8('t').int32(b.length);
            out.writeBytes(b);
            return this;
        }

        Bytes nul() {
            return int8('n');
        }

        Bytes unchanged() {
            return int8('u');
        }

        Bytes raw(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
