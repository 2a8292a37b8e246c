package io.siphon.testkit.pg;

import io.siphon.model.TableId;
import java.util.ArrayList;
import java.util.List;

/**
 * A table with a column of every PostgreSQL type a connector must carry, filled with NULLs and edge
 * values: integer limits, numeric NaN/±Infinity and huge precision, float NaN/±Infinity/-0, empty
 * and Unicode text with quotes, backslashes, tabs and newlines, bytea with zero bytes, dates and
 * timestamps at ±infinity, BC and the type limits, {@code 24:00:00}, intervals with every part,
 * arrays with NULL elements, several dimensions or none, enums, domains, ranges incl. empty, JSON
 * with Unicode escapes, and a composite type.
 *
 * <p>Row 1 is all NULL; rows 2 to 6 hold typical, minimum, maximum and special values. Each column
 * is declared with its values for rows 2 to 6 below, so a failing column is easy to find.
 *
 * <pre>{@code
 * PostgresTypeMatrix.sourceStatements().forEach(sql -> server.execute(db, sql));
 * }</pre>
 */
public final class PostgresTypeMatrix {

    /** The table. */
    public static final TableId TABLE = TableId.of("public", "type_matrix");

    /** Rows in the table. */
    public static final int ROWS = 6;

    /** The composite type of column {@code c_address}. */
    private static final String ADDRESS_TYPE =
            "CREATE TYPE public.address AS (street text, number integer, amount numeric(10,2),"
                    + " verified boolean, since date)";

    private static final List<String> TYPES =
            List.of(
                    "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'very \"happy\"')",
                    "CREATE DOMAIN public.positive_int AS integer CHECK (VALUE > 0)",
                    "CREATE DOMAIN public.short_text AS varchar(10)",
                    ADDRESS_TYPE);

    private record Col(String name, String type, List<String> values) {}

    private static Col col(String name, String type, String... rows2to6) {
        if (rows2to6.length != ROWS - 1) {
            throw new IllegalArgumentException(name + " needs values for rows 2 to " + ROWS);
        }
        return new Col(name, type, List.of(rows2to6));
    }

    private static final String TEXT_SPECIALS =
            "E'tab\\there\\nnew line\\r\\nCR \\\\ backslash ''single'' \"double\" emoji \uD83D\uDE00"
                    + " \u00fcn\u00efc\u00f8d\u00e9'";

    private static final List<Col> COLUMNS =
            List.of(
                    col("c_int2", "smallint", "1", "-32768", "32767", "0", "-1"),
                    col("c_int4", "integer", "2", "-2147483648", "2147483647", "0", "-1"),
                    col(
                            "c_int8",
                            "bigint",
                            "3",
                            "-9223372036854775808",
                            "9223372036854775807",
                            "0",
                            "-1"),
                    col(
                            "c_numeric",
                            "numeric",
                            "1.5",
                            "-123456789012345678901234567890.123456789012345678901234567890",
                            "'NaN'",
                            "'Infinity'",
                            "'-Infinity'"),
                    col(
                            "c_numeric_scaled",
                            "numeric(12,4)",
                            "12345678.1234",
                            "-99999999.9999",
                            "99999999.9999",
                            "0",
                            "0.0001"),
                    col(
                            "c_numeric_tiny",
                            "numeric",
                            "0.00000",
                            "1e-100",
                            "1e100",
                            "1.500",
                            "-0.000001"),
                    col(
                            "c_numeric_negative_scale",
                            "numeric(5,-2)",
                            "12300",
                            "-9999900",
                            "9999900",
                            "0",
                            "100"),
                    col(
                            "c_float4",
                            "real",
                            "3.14",
                            "-3.4028235e38",
                            "3.4028235e38",
                            "'NaN'",
                            "'-0'"),
                    col(
                            "c_float8",
                            "double precision",
                            "2.718281828459045",
                            "-1.7976931348623157e308",
                            "'Infinity'",
                            "'-Infinity'",
                            "4.9e-324"),
                    col(
                            "c_money",
                            "money",
                            "12.34",
                            "'-92233720368547758.08'",
                            "'92233720368547758.07'",
                            "0",
                            "-0.01"),
                    col("c_text", "text", "'hello'", "''", TEXT_SPECIALS, "'NULL'", "E'\\\\N'"),
                    col(
                            "c_varchar",
                            "varchar(20)",
                            "'varchar'",
                            "''",
                            "'\u00fcn\u00efc\u00f8d\u00e9 \uD83D\uDE00'",
                            "' padded  '",
                            "'\"'"),
                    col("c_char", "char(5)", "'ab'", "''", "'abcde'", "' a'", "'\u00e9'"),
                    col("c_name", "name", "'name'", "''", "repeat('n', 63)", "'Mixed Case'", "'x'"),
                    col("c_qchar", "\"char\"", "'x'", "''", "'Z'", "' '", "'\\'"),
                    col(
                            "c_bytea",
                            "bytea",
                            "'\\xdeadbeef'",
                            "'\\x'",
                            "'\\x00ff00'",
                            "'\\x5c0a09'",
                            "'\\x00'"),
                    col("c_bool", "boolean", "true", "false", "true", "false", "true"),
                    col(
                            "c_date",
                            "date",
                            "'2024-02-29'",
                            "'4713-01-01 BC'",
                            "'5874897-12-31'",
                            "'infinity'",
                            "'-infinity'"),
                    col(
                            "c_time",
                            "time",
                            "'12:34:56.789012'",
                            "'00:00:00'",
                            "'24:00:00'",
                            "'23:59:59.999999'",
                            "'00:00:00.000001'"),
                    col(
                            "c_time3",
                            "time(3)",
                            "'01:02:03.456'",
                            "'00:00:00'",
                            "'23:59:59.999'",
                            "'12:00:00'",
                            "'24:00:00'"),
                    col(
                            "c_timetz",
                            "timetz",
                            "'12:34:56.789+05:30'",
                            "'00:00:00-15:59'",
                            "'24:00:00+15:59'",
                            "'12:00:00+00'",
                            "'23:59:59.999999-12'"),
                    col(
                            "c_timestamp",
                            "timestamp",
                            "'2024-02-29 12:34:56.123456'",
                            "'4713-01-01 00:00:00 BC'",
                            "'294276-12-31 23:59:59.999999'",
                            "'infinity'",
                            "'-infinity'"),
                    col(
                            "c_timestamp0",
                            "timestamp(0)",
                            "'2024-02-29 12:34:57'",
                            "'0001-01-01 00:00:00'",
                            "'9999-12-31 23:59:59'",
                            "'2024-03-10 02:30:00'",
                            "'1970-01-01 00:00:00'"),
                    col(
                            "c_timestamptz",
                            "timestamptz",
                            "'2024-02-29 12:34:56.123456+01'",
                            "'4713-01-01 00:00:00+00 BC'",
                            "'294276-12-31 23:59:59.999999+00'",
                            "'infinity'",
                            "'-infinity'"),
                    col(
                            "c_timestamptz3",
                            "timestamptz(3)",
                            "'2024-02-29 12:34:56.789-08'",
                            "'0001-01-01 00:00:00+00'",
                            "'2262-04-11 23:47:16.854+00'",
                            "'2024-03-10 02:30:00 America/New_York'",
                            "'1970-01-01 00:00:00+00'"),
                    col(
                            "c_interval",
                            "interval",
                            "'1 year 2 mons 3 days 04:05:06.789012'",
                            "'-178000000 years'",
                            "'2147483647 days 2562047788:00:54.775807'",
                            "'infinity'",
                            "'-1 mons +2 days -00:00:00.000001'"),
                    col(
                            "c_uuid",
                            "uuid",
                            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                            "'00000000-0000-0000-0000-000000000000'",
                            "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
                            "'123e4567-e89b-12d3-a456-426614174000'",
                            "'01234567-89ab-cdef-0123-456789abcdef'"),
                    col(
                            "c_json",
                            "json",
                            "'{\"a\": \"caf\u00e9 \uD83D\uDE00\", \"b\" : [1, 2.50]}'",
                            "'[]'",
                            "'{\"k\": \"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\\\\\ \\n\"}'",
                            "'null'",
                            "'  {\"dup\": 1, \"dup\": 2}  '"),
                    col(
                            "c_jsonb",
                            "jsonb",
                            "'{\"b\": 1, \"a\": [true, null]}'",
                            "'{}'",
                            "'{\"nested\": {\"deep\": [1, {\"x\": null}]}, \"u\": \"\\u00e9\"}'",
                            "'\"just a string\"'",
                            "'1.50'"),
                    col(
                            "c_xml",
                            "xml",
                            "'<a b=\"c\">x &amp; y</a>'",
                            "''",
                            "'<r a=\"&lt;\">\u00fc \uD83D\uDE00</r>'",
                            "'text only'",
                            "'<a/><b/>'"),
                    col(
                            "c_inet",
                            "inet",
                            "'192.168.0.1/24'",
                            "'0.0.0.0/0'",
                            "'::ffff:1.2.3.4/128'",
                            "'::1'",
                            "'10.1.2.3'"),
                    col(
                            "c_cidr",
                            "cidr",
                            "'10.0.0.0/8'",
                            "'0.0.0.0/0'",
                            "'2001:db8::/32'",
                            "'::/0'",
                            "'192.168.1.0/24'"),
                    col(
                            "c_macaddr",
                            "macaddr",
                            "'08:00:2b:01:02:03'",
                            "'00:00:00:00:00:00'",
                            "'ff:ff:ff:ff:ff:ff'",
                            "'08-00-2b-01-02-04'",
                            "'0800.2b01.0205'"),
                    col(
                            "c_macaddr8",
                            "macaddr8",
                            "'08:00:2b:01:02:03:04:05'",
                            "'00:00:00:00:00:00:00:00'",
                            "'ff:ff:ff:ff:ff:ff:ff:ff'",
                            "'08:00:2b:01:02:03'",
                            "'0800.2b01.0203.0405'"),
                    col(
                            "c_bit",
                            "bit(8)",
                            "B'10101010'",
                            "B'00000000'",
                            "B'11111111'",
                            "B'00000001'",
                            "B'10000000'"),
                    col(
                            "c_varbit",
                            "varbit(16)",
                            "B'101'",
                            "B''",
                            "B'1111111111111111'",
                            "B'0'",
                            "B'01'"),
                    col(
                            "c_tsvector",
                            "tsvector",
                            "'a fat cat sat'",
                            "''",
                            "$$'quoted lexeme' 'a':1A,2B$$",
                            "'\u00fcn\u00efc\u00f8d\u00e9'",
                            "'x:1'"),
                    col(
                            "c_tsquery",
                            "tsquery",
                            "'fat & rat'",
                            "'!x'",
                            "'!(a | b) & c:*'",
                            "'a <-> b'",
                            "'x'"),
                    col(
                            "c_int4range",
                            "int4range",
                            "'[1,10)'",
                            "'empty'",
                            "'(,5]'",
                            "'(,)'",
                            "'[3,4]'"),
                    col(
                            "c_int8range",
                            "int8range",
                            "'[1,100]'",
                            "'empty'",
                            "'[-9223372036854775808,9223372036854775807)'",
                            "'(0,)'",
                            "'[1,1]'"),
                    col(
                            "c_numrange",
                            "numrange",
                            "'[1.5,2.5]'",
                            "'empty'",
                            "'(,)'",
                            "'(0.000001,1e20)'",
                            "'[1.50,1.50]'"),
                    col(
                            "c_tsrange",
                            "tsrange",
                            "'[2024-01-01 00:00,2024-12-31 23:59:59.5)'",
                            "'empty'",
                            "'[-infinity,infinity]'",
                            "'(,2000-01-01)'",
                            "'[4713-01-01 00:00 BC,)'"),
                    col(
                            "c_tstzrange",
                            "tstzrange",
                            "'[2024-01-01 00:00+00,infinity)'",
                            "'empty'",
                            "'(2024-01-01 00:00+05:30,)'",
                            "'(,)'",
                            "'[2000-01-01 00:00:00.000001+14,2000-01-02)'"),
                    col(
                            "c_daterange",
                            "daterange",
                            "'[2024-01-01,2024-02-01)'",
                            "'empty'",
                            "'[-infinity,infinity)'",
                            "'[2000-01-01,2000-01-01]'",
                            "'(,)'"),
                    col(
                            "c_int4multirange",
                            "int4multirange",
                            "'{[1,3),[5,7)}'",
                            "'{}'",
                            "'{[1,2),[3,4),[10,)}'",
                            "'{(,)}'",
                            "'{empty}'"),
                    col(
                            "c_point",
                            "point",
                            "'(1.5,-2)'",
                            "'(0,0)'",
                            "'(1e+300,-1e-300)'",
                            "'(-0,0)'",
                            "'(NaN,Infinity)'"),
                    col(
                            "c_line",
                            "line",
                            "'{1,2,3}'",
                            "'{1,-1,0}'",
                            "'{0,1,-5}'",
                            "'{1,0,0}'",
                            "'{2.5,3.5,-1}'"),
                    col(
                            "c_lseg",
                            "lseg",
                            "'[(0,0),(1,1)]'",
                            "'[(0,0),(0,0)]'",
                            "'[(1e300,1e300),(-1e300,-1e300)]'",
                            "'[(1,2),(3,4)]'",
                            "'[(0.5,0.5),(1.5,1.5)]'"),
                    col(
                            "c_box",
                            "box",
                            "'(1,1),(0,0)'",
                            "'(0,0),(0,0)'",
                            "'(3,4),(-1,-2)'",
                            "'(0,0),(1,1)'",
                            "'(2.5,2.5),(1.5,1.5)'"),
                    col(
                            "c_path",
                            "path",
                            "'[(0,0),(1,1),(2,0)]'",
                            "'((0,0))'",
                            "'((0,0),(1,1))'",
                            "'[(1,1)]'",
                            "'((0,0),(1,0),(1,1),(0,1))'"),
                    col(
                            "c_polygon",
                            "polygon",
                            "'((0,0),(1,1),(1,0))'",
                            "'((0,0))'",
                            "'((0,0),(0,1e300),(1e300,0))'",
                            "'((1,1),(2,2))'",
                            "'((0,0),(1,0),(1,1),(0,1))'"),
                    col(
                            "c_circle",
                            "circle",
                            "'<(0,0),2>'",
                            "'<(0,0),0>'",
                            "'<(1.5,2.5),0.001>'",
                            "'<(-1,-1),1e300>'",
                            "'<(1,1),1>'"),
                    col("c_oid", "oid", "12345", "0", "4294967295", "1", "2"),
                    col(
                            "c_pg_lsn",
                            "pg_lsn",
                            "'16/B374D848'",
                            "'0/0'",
                            "'FFFFFFFF/FFFFFFFF'",
                            "'0/1'",
                            "'1/0'"),
                    col(
                            "c_mood",
                            "public.mood",
                            "'happy'",
                            "'sad'",
                            "'very \"happy\"'",
                            "'ok'",
                            "'sad'"),
                    col("c_positive", "public.positive_int", "42", "1", "2147483647", "7", "8"),
                    col(
                            "c_short_text",
                            "public.short_text",
                            "'short'",
                            "''",
                            "'abcdefghij'",
                            "'\uD83D\uDE00'",
                            "E'a\\tb'"),
                    col(
                            "c_address",
                            "public.address",
                            "ROW('Main \"St\"', 42, 1.50, true, '2020-01-01')",
                            "ROW(NULL, NULL, NULL, NULL, NULL)",
                            "ROW(" + TEXT_SPECIALS + ", -1, 99999999.99, false, '4713-01-01 BC')",
                            "ROW('', 0, 0, NULL, 'infinity')",
                            "ROW('(,)\"', NULL, -0.01, true, '-infinity')"),
                    col(
                            "c_int4_array",
                            "integer[]",
                            "'{1,NULL,-2147483648}'",
                            "'{}'",
                            "'{2147483647,-1,0}'",
                            "'{NULL}'",
                            "'{7,8,9}'"),
                    col(
                            "c_int4_matrix",
                            "integer[][]",
                            "'{{1,2},{3,NULL}}'",
                            "'{}'",
                            "'{{{1,2}},{{3,4}}}'",
                            "'{{NULL,NULL}}'",
                            "'{{5}}'"),
                    col(
                            "c_int8_array",
                            "bigint[]",
                            "'{9223372036854775807}'",
                            "'{}'",
                            "'{-9223372036854775808,NULL}'",
                            "'{0}'",
                            "'{1,2,3}'"),
                    col(
                            "c_text_array",
                            "text[]",
                            "'{\"a,b\",\"c\\\"d\",\"e\\\\f\",NULL,\"NULL\",\"\",\"x y\",\"{}\"}'",
                            "'{}'",
                            "E'{\"tab\\there\",\"nl\\nx\",\"cr\\rx\",\"\u00fc \uD83D\uDE00\"}'",
                            "'{\"\"}'",
                            "'{{a,b},{c,NULL}}'"),
                    col(
                            "c_varchar_array",
                            "varchar(5)[]",
                            "'{\"abcde\",NULL}'",
                            "'{}'",
                            "'{\"\u00fcn\u00efc\"}'",
                            "'{\"\"}'",
                            "'{a}'"),
                    col(
                            "c_char_array",
                            "char(3)[]",
                            "'{\"a\",\"abc\"}'",
                            "'{}'",
                            "'{\" \"}'",
                            "'{NULL}'",
                            "'{x}'"),
                    col(
                            "c_numeric_array",
                            "numeric[]",
                            "'{1.50,NaN,Infinity,-Infinity,0.000}'",
                            "'{}'",
                            "'{123456789012345678901234567890.000000000000000000001}'",
                            "'{NULL,1}'",
                            "'{{1,2},{3,4}}'"),
                    col(
                            "c_float4_array",
                            "real[]",
                            "'{NaN,Infinity,-Infinity,-0,1.17549435e-38}'",
                            "'{}'",
                            "'{3.4028235e38,1e-45}'",
                            "'{NULL}'",
                            "'{0.1}'"),
                    col(
                            "c_float8_array",
                            "double precision[]",
                            "'{NaN,-0,4.9e-324}'",
                            "'{}'",
                            "'{1.7976931348623157e308,-Infinity}'",
                            "'{NULL}'",
                            "'{0.1,0.2}'"),
                    col(
                            "c_bool_array",
                            "boolean[]",
                            "'{t,f,NULL}'",
                            "'{}'",
                            "'{t}'",
                            "'{f}'",
                            "'{{t,f},{f,t}}'"),
                    col(
                            "c_bytea_array",
                            "bytea[]",
                            "'{\"\\\\x00ff\",NULL,\"\\\\x\"}'",
                            "'{}'",
                            "'{\"\\\\x5c22\"}'",
                            "'{NULL}'",
                            "'{\"\\\\xdeadbeef\"}'"),
                    col(
                            "c_date_array",
                            "date[]",
                            "'{infinity,-infinity,\"4713-01-01 BC\",2000-01-01}'",
                            "'{}'",
                            "'{5874897-12-31}'",
                            "'{NULL}'",
                            "'{2024-02-29}'"),
                    col(
                            "c_time_array",
                            "time[]",
                            "'{24:00:00,00:00:00.000001}'",
                            "'{}'",
                            "'{12:00:00}'",
                            "'{NULL}'",
                            "'{23:59:59.999999}'"),
                    col(
                            "c_timestamp_array",
                            "timestamp[]",
                            "'{infinity,\"2000-01-01 00:00:00.000001\",\"0044-03-15 12:00:00 BC\"}'",
                            "'{}'",
                            "'{-infinity}'",
                            "'{NULL}'",
                            "'{\"2024-02-29 12:34:56\"}'"),
                    col(
                            "c_timestamptz_array",
                            "timestamptz[]",
                            "'{-infinity,\"2000-01-01 00:00:00+14\"}'",
                            "'{}'",
                            "'{infinity}'",
                            "'{NULL}'",
                            "'{\"2024-02-29 12:34:56.5-03:30\"}'"),
                    col(
                            "c_interval_array",
                            "interval[]",
                            "'{\"1 day\",\"-00:00:00.000001\",infinity}'",
                            "'{}'",
                            "'{\"1 year 1 mon 1 day 01:01:01.000001\"}'",
                            "'{NULL}'",
                            "'{-infinity}'"),
                    col(
                            "c_uuid_array",
                            "uuid[]",
                            "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'",
                            "'{}'",
                            "'{ffffffff-ffff-ffff-ffff-ffffffffffff}'",
                            "'{NULL}'",
                            "'{00000000-0000-0000-0000-000000000001}'"),
                    col(
                            "c_json_array",
                            "json[]",
                            "'{\"{\\\"a\\\": 1}\",\"[]\",NULL}'",
                            "'{}'",
                            "'{\"\\\"\\\\\\\\u00e9\\\"\"}'",
                            "'{NULL}'",
                            "'{\"{ }\"}'"),
                    col(
                            "c_jsonb_array",
                            "jsonb[]",
                            "'{\"{\\\"b\\\": [1, 2]}\",\"null\"}'",
                            "'{}'",
                            "'{\"{\\\"u\\\": \\\"\u00e9\\\"}\"}'",
                            "'{NULL}'",
                            "'{1,2}'"),
                    col(
                            "c_inet_array",
                            "inet[]",
                            "'{1.2.3.4,::1/128}'",
                            "'{}'",
                            "'{NULL,10.0.0.1/8}'",
                            "'{NULL}'",
                            "'{::}'"),
                    col(
                            "c_money_array",
                            "money[]",
                            "'{1.23,-0.01}'",
                            "'{}'",
                            "'{92233720368547758.07}'",
                            "'{NULL}'",
                            "'{0}'"),
                    col(
                            "c_box_array",
                            "box[]",
                            "'{(1,1),(0,0);(2,2),(1,1)}'",
                            "'{}'",
                            "'{(3,4),(-1,-2)}'",
                            "'{NULL}'",
                            "'{(0,0),(0,0);NULL}'"),
                    col(
                            "c_int4range_array",
                            "int4range[]",
                            "'{\"[1,2)\",empty,NULL}'",
                            "'{}'",
                            "'{\"(,)\"}'",
                            "'{NULL}'",
                            "'{\"[5,10]\"}'"),
                    col(
                            "c_mood_array",
                            "public.mood[]",
                            "'{sad,\"very \\\"happy\\\"\"}'",
                            "'{}'",
                            "'{happy,NULL}'",
                            "'{NULL}'",
                            "'{ok}'"),
                    col(
                            "c_positive_array",
                            "public.positive_int[]",
                            "'{1,2}'",
                            "'{}'",
                            "'{2147483647,NULL}'",
                            "'{NULL}'",
                            "'{3}'"),
                    col(
                            "c_address_array",
                            "public.address[]",
                            "ARRAY[ROW('Main', 1, 1.00, true, '2020-01-01')::public.address, NULL]",
                            "'{}'",
                            "ARRAY[ROW(" + TEXT_SPECIALS + ", 2, 2, false, NULL)::public.address]",
                            "'{NULL}'",
                            "'{\"(,,,,)\"}'"),
                    col(
                            "c_timetz_array",
                            "timetz[]",
                            "'{\"00:00:00+00\",\"23:59:59.999999-12\"}'",
                            "'{}'",
                            "'{\"24:00:00+15:59\"}'",
                            "'{NULL}'",
                            "'{\"12:00:00+05:30\"}'"));

    private PostgresTypeMatrix() {}

    /**
     * Everything to run in an empty source database, in order: the enum, domain and composite
     * types, the table with its primary key {@code id}, and the {@value #ROWS} rows.
     */
    public static List<String> sourceStatements() {
        List<String> out = new ArrayList<>(TYPES);
        StringBuilder create =
                new StringBuilder("CREATE TABLE public.type_matrix (id integer PRIMARY KEY");
        for (Col c : COLUMNS) {
            create.append(", ").append(c.name()).append(' ').append(c.type());
        }
        out.add(create.append(')').toString());
        out.add("INSERT INTO public.type_matrix (id) VALUES (1)");
        for (int row = 2; row <= ROWS; row++) {
            StringBuilder names = new StringBuilder("id");
            StringBuilder values = new StringBuilder(Integer.toString(row));
            for (Col c : COLUMNS) {
                names.append(", ").append(c.name());
                values.append(", ").append(c.values().get(row - 2));
            }
            out.add("INSERT INTO public.type_matrix (" + names + ") VALUES (" + values + ")");
        }
        return out;
    }

    /**
     * What a target database needs before a sink can recreate the table with native types: the
     * composite type (sinks create enum types themselves, and domains travel as their base type).
     */
    public static List<String> targetPrerequisites() {
        return List.of(ADDRESS_TYPE);
    }

    /** The names of the columns after {@code id}, in order. */
    public static List<String> columnNames() {
        return COLUMNS.stream().map(Col::name).toList();
    }
}
