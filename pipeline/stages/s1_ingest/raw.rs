//! A table read as text columns, whatever its file format: what the JSON lines, CSV and Parquet
//! readers make, and what one document a row is read from.

/// A table's columns as text (numbers and dates written out, nested JSON values as their JSON
/// text), with the line of the file each row stands on (the row number, for Parquet).
#[derive(Default)]
pub struct RawTable {
    /// Column names, in input order.
    pub names: Vec<String>,
    /// Each column's values by row; `None` for null or absent.
    pub columns: Vec<Vec<Option<String>>>,
    /// The line (or row number) of each row.
    pub lines: Vec<usize>,
}

impl RawTable {
    /// Adds `other`'s rows after these: a column of either table that the other lacks has no
    /// value in the other's rows.
    #[cfg(test)]
    pub(super) fn append(&mut self, other: RawTable) {
        let rows = self.lines.len();
        for (name, column) in other.names.into_iter().zip(other.columns) {
            match self.names.iter().position(|n| *n == name) {
                Some(c) => self.columns[c].extend(column),
                None => {
                    self.names.push(name);
                    let mut values = vec![None; rows];
                    values.extend(column);
                    self.columns.push(values);
                }
            }
        }
        self.lines.extend(other.lines);
        for column in &mut self.columns {
            column.resize(self.lines.len(), None);
        }
    }

    /// Row `row`'s cells of `columns`, as given.
    pub(super) fn cells(&self, columns: &[usize], row: usize) -> Vec<Option<String>> {
        columns
            .iter()
            .map(|&c| self.columns[c][row].clone())
            .collect()
    }

    pub(super) fn column(&self, name: &str) -> Option<&[Option<String>]> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(&self.columns[i])
    }

    /// The names, each shortened to 40 characters and at most 12 of them, for messages: a
    /// headerless CSV's first line must not fill the screen.
    pub(super) fn name_list(&self) -> String {
        let mut parts: Vec<String> = self
            .names
            .iter()
            .take(12)
            .map(|n| {
                if n.chars().count() > 40 {
                    format!("{}…", n.chars().take(40).collect::<String>())
                } else {
                    n.clone()
                }
            })
            .collect();
        if self.names.len() > 12 {
            parts.push(format!("… {} more", self.names.len() - 12));
        }
        parts.join(", ")
    }

    /// A hint for a table whose expected columns are missing: when a column name reads like
    /// text, the first line was probably data, not a header.
    pub(super) fn header_hint(&self, usual: &'static str) -> String {
        let looks_like_data = self
            .names
            .iter()
            .any(|n| n.chars().count() > 60 || n.split_whitespace().count() > 6);
        if looks_like_data {
            "the first line is read as the header, and it looks like text: add a header line \
             naming the columns (e.g. `id,date,text`)"
                .to_string()
        } else {
            usual.to_string()
        }
    }
}
