package io.siphon.verify;

import io.siphon.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A catalog query about one table, with the schema and table name as its two parameters. */
final class CatalogQuery {

    /** Maps the current row of the result. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private CatalogQuery() {}

    static <T> List<T> list(Connection c, String sql, TableId table, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }
}
