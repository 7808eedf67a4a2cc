-- The coded columns of datastore tables: for each column with few distinct
-- values, its dictionary (part -1, a JSON array of the values as written)
-- and the code of every row (parts 0…, one or two bytes a row, little
-- endian), so that filtered pages and totals of a million rows are
-- answered from memory. PostgreSQL flavour.

CREATE TABLE od_table_codes (
    tbl  TEXT NOT NULL,
    col  INTEGER NOT NULL,
    part INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (tbl, col, part)
);
