package io.siphon.transforms.expr;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionBinding;
import io.siphon.transforms.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The functions Siphon adds to CEL's standard library and its strings, math and encoders
 * extensions. Each is documented in docs/transforms.md.
 */
final class ExpressionFunctions {

    private ExpressionFunctions() {}

    static List<CelFunctionDecl> declarations() {
        TypeParamType a = TypeParamType.create("A");
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(
                        "sha256",
                        CelOverloadDecl.newGlobalOverload(
                                "sha256_string", SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload(
                                "sha256_bytes", SimpleType.STRING, SimpleType.BYTES)),
                CelFunctionDecl.newFunctionDeclaration(
                        "coalesce", CelOverloadDecl.newGlobalOverload("coalesce_any", a, a, a)),
                CelFunctionDecl.newFunctionDeclaration(
                        "to_local",
                        CelOverloadDecl.newGlobalOverload(
                                "to_local_timestamp_string",
                                SimpleType.TIMESTAMP,
                                SimpleType.TIMESTAMP,
                                SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "to_instant",
                        CelOverloadDecl.newGlobalOverload(
                                "to_instant_timestamp_string",
                                SimpleType.TIMESTAMP,
                                SimpleType.TIMESTAMP,
                                SimpleType.STRING)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(
                        "sha256_string",
                        String.class,
                        s -> Hashing.sha256Hex(s.getBytes(StandardCharsets.UTF_8))),
                CelFunctionBinding.from(
                        "sha256_bytes",
                        CelByteString.class,
                        b -> Hashing.sha256Hex(b.toByteArray())),
                CelFunctionBinding.from(
                        "coalesce_any",
                        Object.class,
                        Object.class,
                        (x, y) -> x == null || x instanceof NullValue ? y : x),
                CelFunctionBinding.from(
                        "to_local_timestamp_string",
                        Instant.class,
                        String.class,
                        // The wall clock in the zone, carried as a timestamp read at UTC, which is
                        // how a wall-clock column is seen (and written back) by expressions.
                        (t, zone) ->
                                LocalDateTime.ofInstant(t, ZoneId.of(zone))
                                        .toInstant(ZoneOffset.UTC)),
                CelFunctionBinding.from(
                        "to_instant_timestamp_string",
                        Instant.class,
                        String.class,
                        (t, zone) ->
                                LocalDateTime.ofInstant(t, ZoneOffset.UTC)
                                        .atZone(ZoneId.of(zone))
                                        .toInstant()));
    }
}
