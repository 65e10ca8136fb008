package org.taylorism.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;

/**
 * Rows of one {@code INSERT}, sent {@link #ROWS} at a time in one statement. The driver's cost per statement (its
 * calls into SQLite to run and reset it) then comes once per {@code ROWS} rows: the store's writer wrote 200,000
 * tasks a third faster so in a probe. Rows are held until the statement is full or {@link #flush} is called, which
 * the writer does before it commits. One thread's, as its connection is.
 */
final class BatchedInsert {

    /** Rows per statement: past about ten, a bigger statement saved nothing more in the probe. */
    static final int ROWS = 16;

    private final Connection connection;
    private final String head;
    private final String rowOfParameters;
    private final int columns;
    /** Statements of 1 to {@link #ROWS} rows, prepared when first needed: index {@code n - 1} sends n rows. */
    private final PreparedStatement[] byRowCount = new PreparedStatement[ROWS];
    private final Object[] held;
    private int rows;

    /**
     * @param head the statement up to its {@code VALUES}, such as {@code INSERT INTO t (a, b)}
     * @param columns how many values each row has
     */
    BatchedInsert(Connection connection, String head, int columns) {
        this.connection = connection;
        this.head = head;
        this.columns = columns;
        this.rowOfParameters = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
        this.held = new Object[ROWS * columns];
    }

    /** Adds a row of {@code columns} values (Strings, Integers, Longs or nulls); sends the held rows when they fill a statement. */
    void add(Object... row) throws SQLException {
        if (row.length != columns) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + columns + " columns: " + head);
        }
        System.arraycopy(row, 0, held, rows * columns, columns);
        rows++;
        if (rows == ROWS) {
            flush();
        }
    }

    /** Sends the rows held, in one statement. */
    void flush() throws SQLException {
        if (rows == 0) {
            return;
        }
        PreparedStatement statement = statementOf(rows);
        for (int i = 0; i < rows * columns; i++) {
            statement.setObject(i + 1, held[i]);
        }
        forget();
        statement.executeUpdate();
    }

    /** Drops the rows held: their transaction was rolled back. */
    void forget() {
        Arrays.fill(held, 0, rows * columns, null);
        rows = 0;
    }

    private PreparedStatement statementOf(int rowCount) throws SQLException {
        PreparedStatement statement = byRowCount[rowCount - 1];
        if (statement == null) {
            statement = connection.prepareStatement(head + " VALUES " + String.join(", ", Collections.nCopies(rowCount, rowOfParameters)));
            byRowCount[rowCount - 1] = statement;
        }
        return statement;
    }
}
