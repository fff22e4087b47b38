//! A compressed sparse row matrix: the records type the models train and predict on.
//!
//! Rows are documents, columns are vocabulary ids. It (and, through linfa, `&CsrMatrix`)
//! implements linfa's
//! [`Records`], so it can sit in a linfa `DatasetBase` and go through
//! linfa's `Fit` and `Predict` traits. It is never densified.

use linfa::dataset::Records;

/// A CSR matrix with `f32` values and `u32` column indices (8 bytes per non-zero).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsrMatrix {
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

/// One row of a [`CsrMatrix`]: parallel slices of column indices and values.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    /// Column indices, distinct (strictly increasing in the rows of a [`CsrMatrix`]; in first-use
    /// order from [`Vectorizer::transform_unsorted`](crate::features::Vectorizer::transform_unsorted)).
    pub indices: &'a [u32],
    /// Values.
    pub values: &'a [f32],
}

impl RowView<'_> {
    /// Iterates `(column, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.indices
            .iter()
            .zip(self.values)
            .map(|(&i, &v)| (i as usize, f64::from(v)))
    }

    /// Number of non-zeros.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }
}

impl CsrMatrix {
    /// An empty matrix with `n_cols` columns and no rows.
    pub fn new(n_cols: usize) -> Self {
        CsrMatrix {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Appends a row. Indices must be strictly increasing and below `n_cols`; entries that
    /// break this are dropped (callers build rows from a vocabulary, so this never happens).
    pub fn push_row(&mut self, indices: &[u32], values: &[f32]) {
        let mut last: Option<u32> = None;
        for (&i, &v) in indices.iter().zip(values) {
            if (i as usize) < self.n_cols && last.is_none_or(|l| i > l) {
                self.indices.push(i);
                self.values.push(v);
                last = Some(i);
            }
        }
        self.indptr.push(self.indices.len());
    }

    /// Appends all rows of `other` (same column count).
    pub fn extend(&mut self, other: &CsrMatrix) {
        for r in 0..other.n_rows() {
            let row = other.row(r);
            self.push_row(row.indices, row.values);
        }
    }

    /// Reserves room for `rows` more rows and `nnz` more non-zeros.
    pub fn reserve(&mut self, rows: usize, nnz: usize) {
        self.indptr.reserve(rows);
        self.indices.reserve(nnz);
        self.values.reserve(nnz);
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Number of stored non-zeros.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Row `r` (an empty row when out of range).
    pub fn row(&self, r: usize) -> RowView<'_> {
        let (a, b) = match (self.indptr.get(r), self.indptr.get(r + 1)) {
            (Some(&a), Some(&b)) => (a, b),
            _ => (0, 0),
        };
        RowView {
            indices: self.indices.get(a..b).unwrap_or(&[]),
            values: self.values.get(a..b).unwrap_or(&[]),
        }
    }

    /// A new matrix with the given rows, in the given order.
    pub fn select_rows(&self, rows: &[usize]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.n_cols);
        for &r in rows {
            let row = self.row(r);
            m.indices.extend_from_slice(row.indices);
            m.values.extend_from_slice(row.values);
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// When many columns never occur (per-target models, small folds), a copy restricted to the
    /// columns that do (renumbered in order), with those columns and the original column count;
    /// `(None, None)` when at least 90% of the columns occur (the copy would cost more than the
    /// optimiser saves by working on fewer weights).
    #[allow(clippy::type_complexity)]
    pub fn compact_columns(&self) -> (Option<CsrMatrix>, Option<(Vec<u32>, usize)>) {
        let mut seen = vec![false; self.n_cols];
        for &i in &self.indices {
            if let Some(s) = seen.get_mut(i as usize) {
                *s = true;
            }
        }
        let used: Vec<u32> = (0..self.n_cols as u32)
            .filter(|&i| seen.get(i as usize) == Some(&true))
            .collect();
        if used.len() * 10 >= self.n_cols * 9 {
            return (None, None);
        }
        let mut new_id = vec![0u32; self.n_cols];
        for (k, &c) in used.iter().enumerate() {
            if let Some(slot) = new_id.get_mut(c as usize) {
                *slot = k as u32;
            }
        }
        let indices = self
            .indices
            .iter()
            .map(|&i| new_id.get(i as usize).copied().unwrap_or(0))
            .collect();
        let m = CsrMatrix {
            n_cols: used.len(),
            indptr: self.indptr.clone(),
            indices,
            values: self.values.clone(),
        };
        (Some(m), Some((used, self.n_cols)))
    }

    /// Bytes used by the three arrays.
    pub fn heap_bytes(&self) -> usize {
        self.indptr.len() * 8 + self.indices.len() * 4 + self.values.len() * 4
    }
}

impl Records for CsrMatrix {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.n_rows()
    }

    fn nfeatures(&self) -> usize {
        self.n_cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_select_and_bounds() {
        let mut m = CsrMatrix::new(4);
        m.push_row(&[0, 2], &[1.0, 2.0]);
        m.push_row(&[], &[]);
        m.push_row(&[1, 1, 9], &[3.0, 4.0, 5.0]); // duplicate and out of range dropped
        assert_eq!(m.n_rows(), 3);
        assert_eq!(m.nnz(), 3);
        assert_eq!(m.row(2).indices, &[1]);
        assert_eq!(m.row(7).nnz(), 0);
        let s = m.select_rows(&[2, 0]);
        assert_eq!(s.row(0).indices, &[1]);
        assert_eq!(s.row(1).values, &[1.0, 2.0]);
        assert_eq!(m.nsamples(), 3);
        assert_eq!(m.nfeatures(), 4);
    }
}
