//! Multinomial logistic regression on sparse rows, as a linfa estimator.
//!
//! The objective is linfa-logistic's multinomial one, with optional sample weights:
//! `Σᵢ sᵢ·(−log softmax(xᵢW + b)[yᵢ]) + α/2·‖W‖²` (the intercept is not penalised), divided by
//! `Σᵢ sᵢ` so the stopping rule does not depend on the data size (the minimiser is the same).
//! It is minimised with L-BFGS, as linfa-logistic does, on a [`CsrMatrix`] so the feature
//! matrix is never densified. The minimiser is our in-place [`lbfgs`] (argmin's
//! allocating implementation spent more time on bookkeeping than on gradients); a test checks it
//! reaches the same minimum as argmin's L-BFGS. Cost and gradient are computed together in one
//! pass over the non-zeros, in a fixed number of
//! row chunks summed in order: the result does not depend on the thread count.
//!
//! | Name | Default | Purpose | Range |
//! | :--- | :--- | :--- | :--- |
//! | `alpha` | `0.1` | L2 strength (scikit-learn's `C = 1/alpha`) | `[0, ∞)` |
//! | `max_iterations` | `300` | L-BFGS iterations | `≥ 1` |
//! | `gradient_tolerance` | `5e-4` | stop when the gradient norm is below | `> 0` |
//! | `balanced` | `false` | weight classes by `n / (k · n_c)` (scikit-learn's `balanced`) | |

use linfa::ParamGuard;
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::Fit;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::lbfgs;
use super::linear::{LinearModel, ModelKind, log_sum_exp};
use crate::error::{Error, Result};
use crate::features::CsrMatrix;

/// Unchecked logistic-regression parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams(ValidLogisticParams);

/// Checked logistic-regression parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidLogisticParams {
    /// L2 strength.
    pub alpha: f64,
    /// Maximum L-BFGS iterations.
    pub max_iterations: u64,
    /// Gradient-norm tolerance.
    pub gradient_tolerance: f64,
    /// Balanced class weights.
    pub balanced: bool,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams(ValidLogisticParams {
            alpha: 0.1,
            max_iterations: 300,
            gradient_tolerance: 5e-4,
            balanced: false,
        })
    }
}

impl LogisticParams {
    /// Default parameters.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the L2 strength.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }
    /// Sets the iteration limit.
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }
    /// Sets the gradient tolerance.
    pub fn gradient_tolerance(mut self, tol: f64) -> Self {
        self.0.gradient_tolerance = tol;
        self
    }
    /// Balanced class weights on or off.
    pub fn balanced(mut self, on: bool) -> Self {
        self.0.balanced = on;
        self
    }
}

impl ParamGuard for LogisticParams {
    type Checked = ValidLogisticParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ValidLogisticParams> {
        let p = &self.0;
        if !(p.alpha.is_finite() && p.alpha >= 0.0) {
            return Err(Error::InvalidParam {
                name: "alpha",
                value: p.alpha.to_string(),
                reason: "must be a finite number >= 0".into(),
            });
        }
        if p.max_iterations == 0 {
            return Err(Error::InvalidParam {
                name: "max_iterations",
                value: "0".into(),
                reason: "must be at least 1".into(),
            });
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return Err(Error::InvalidParam {
                name: "gradient_tolerance",
                value: p.gradient_tolerance.to_string(),
                reason: "must be a finite number > 0".into(),
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidLogisticParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Per-sample weights: the dataset's weights if set, times balanced class weights if asked.
pub(crate) fn sample_weights(
    y: &[usize],
    n_classes: usize,
    given: Option<&[f32]>,
    balanced: bool,
) -> Vec<f64> {
    let mut w: Vec<f64> = match given {
        Some(g) if g.len() == y.len() => g.iter().map(|&v| f64::from(v)).collect(),
        _ => vec![1.0; y.len()],
    };
    if balanced {
        let mut counts = vec![0usize; n_classes];
        for &c in y {
            if let Some(n) = counts.get_mut(c) {
                *n += 1;
            }
        }
        let n = y.len() as f64;
        for (wi, &c) in w.iter_mut().zip(y) {
            let nc = counts.get(c).copied().unwrap_or(1).max(1) as f64;
            *wi *= n / (n_classes as f64 * nc);
        }
    }
    w
}

impl<R, T> Fit<R, T, Error> for ValidLogisticParams
where
    R: linfa::dataset::Records + std::borrow::Borrow<CsrMatrix>,
    T: AsSingleTargets<Elem = usize>,
{
    type Object = LinearModel;

    /// Fits on class indices `0..k`; `k` is one more than the largest index.
    fn fit(&self, dataset: &DatasetBase<R, T>) -> Result<LinearModel> {
        self.fit_from(dataset, None)
    }
}

impl ValidLogisticParams {
    /// Like [`Fit::fit`], starting L-BFGS from `init` instead of zero (a warm start: the
    /// objective is strictly convex, so the minimum is the same; only the path is shorter when
    /// `init` is close, e.g. the model of the full data when fitting one of its folds).
    ///
    /// # Errors
    /// As [`Fit::fit`].
    pub fn fit_from<R, T>(
        &self,
        dataset: &DatasetBase<R, T>,
        init: Option<&LinearModel>,
    ) -> Result<LinearModel>
    where
        R: linfa::dataset::Records + std::borrow::Borrow<CsrMatrix>,
        T: AsSingleTargets<Elem = usize>,
    {
        let x: &CsrMatrix = dataset.records.borrow();
        let y: Vec<usize> = dataset.as_single_targets().iter().copied().collect();
        let n_classes = y.iter().copied().max().map_or(0, |m| m + 1);
        if y.len() != x.n_rows() {
            return Err(Error::Data(format!(
                "{} rows but {} targets",
                x.n_rows(),
                y.len()
            )));
        }
        if n_classes < 2 {
            return Err(Error::TooFewLabels {
                head: "logistic".into(),
                found: n_classes.to_string(),
            });
        }
        let given = dataset.weights();
        let weights = sample_weights(&y, n_classes, given, self.balanced);
        self.fit_raw(x, &y, &weights, n_classes, init)
    }

    /// Fits on explicit targets and sample weights.
    fn fit_raw(
        &self,
        x: &CsrMatrix,
        y: &[usize],
        weights: &[f64],
        n_classes: usize,
        init: Option<&LinearModel>,
    ) -> Result<LinearModel> {
        let total: f64 = weights.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return Err(Error::Data("sample weights sum to zero".into()));
        }
        // Columns that never occur in these rows have a zero data gradient, so L-BFGS started
        // at zero keeps them at zero: optimise only the used columns (same result, less work).
        let (compact, used) = x.compact_columns();
        let x = compact.as_ref().unwrap_or(x);
        let n_features = x.n_cols();
        let problem = Problem {
            x,
            y,
            weights,
            inv_total: 1.0 / total,
            alpha: self.alpha,
            k: n_classes,
            n_features,
            buffers: std::sync::Mutex::new(Vec::new()),
        };
        let mut start = vec![0.0; (n_features + 1) * n_classes];
        if let Some(m) = init.filter(|m| {
            m.n_classes == n_classes && m.n_features == used.as_ref().map_or(n_features, |u| u.1)
        }) {
            let k = n_classes;
            for i in 0..n_features {
                let col = used
                    .as_ref()
                    .and_then(|(u, _)| u.get(i).map(|&c| c as usize))
                    .unwrap_or(i);
                if let (Some(dst), Some(src)) = (
                    start.get_mut(i * k..i * k + k),
                    m.weights.get(col * k..col * k + k),
                ) {
                    dst.copy_from_slice(src);
                }
            }
            if let Some(b) = start.get_mut(n_features * k..) {
                for (dst, src) in b.iter_mut().zip(&m.bias) {
                    *dst = *src;
                }
            }
        }
        let outcome = lbfgs::minimize(
            |p, g| problem.compute_into(p, g),
            start,
            lbfgs::Settings {
                memory: LBFGS_MEMORY,
                max_iterations: self.max_iterations,
                gradient_tolerance: self.gradient_tolerance,
                cost_tolerance: COST_TOLERANCE,
            },
        );
        if !outcome.cost.is_finite() {
            return Err(Error::Optimizer(format!(
                "the objective diverged ({})",
                outcome.cost
            )));
        }
        let iterations = outcome.iterations;
        let params = outcome.params;
        let split = n_features * n_classes;
        let bias = params.get(split..).unwrap_or(&[]).to_vec();
        let mut weights = params;
        weights.truncate(split);
        let (weights, n_features) = match used {
            Some((used, full)) => {
                let mut w = vec![0.0; full * n_classes];
                for (i, &col) in used.iter().enumerate() {
                    let src = weights
                        .get(i * n_classes..(i + 1) * n_classes)
                        .unwrap_or(&[]);
                    if let Some(dst) =
                        w.get_mut(col as usize * n_classes..(col as usize + 1) * n_classes)
                    {
                        dst.copy_from_slice(src);
                    }
                }
                (w, full)
            }
            None => (weights, n_features),
        };
        let model = LinearModel {
            kind: ModelKind::Logistic,
            n_features,
            n_classes,
            weights,
            bias,
            iterations,
        };
        model.validate().map_err(Error::Optimizer)?;
        Ok(model)
    }
}

/// L-BFGS history length.
const LBFGS_MEMORY: usize = 5;
/// Stop when an iteration lowers the objective by less than this fraction.
const COST_TOLERANCE: f64 = 1e-7;

/// Rows per chunk is chosen so there are at most this many chunks (partial gradients).
const MAX_CHUNKS: usize = 4;
/// Chunks are at least this many rows (one chunk below twice this), and equal in size.
const MIN_CHUNK_ROWS: usize = 1024;

struct Problem<'a> {
    x: &'a CsrMatrix,
    y: &'a [usize],
    weights: &'a [f64],
    inv_total: f64,
    alpha: f64,
    k: usize,
    n_features: usize,
    /// Partial-gradient buffers of the chunks after the first, kept between evaluations so a
    /// fit allocates them once (not once per evaluation: that cost page faults at scale).
    buffers: std::sync::Mutex<Vec<Vec<f64>>>,
}

impl Problem<'_> {
    /// Cost and gradient at `p` (allocating; for tests).
    #[cfg(test)]
    fn compute(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let mut g = vec![0.0; p.len()];
        let c = self.compute_into(p, &mut g);
        (c, g)
    }

    /// Writes the gradient at `p` into `g` and returns the cost.
    fn compute_into(&self, p: &[f64], g: &mut [f64]) -> f64 {
        match self.k {
            2 => self.compute_k::<2>(p, g),
            3 => self.compute_k::<3>(p, g),
            4 => self.compute_k::<4>(p, g),
            5 => self.compute_k::<5>(p, g),
            _ => self.compute_dyn(p, g),
        }
    }

    /// Runs `chunk_fn` on every row chunk in parallel, each writing a partial gradient into its
    /// own zeroed buffer (the first chunk into `g`, the others into buffers kept between calls),
    /// then sums the partials into `g` in chunk order and adds the regulariser.
    fn run_chunks(
        &self,
        p: &[f64],
        g: &mut [f64],
        chunk_fn: &(dyn Fn(usize, usize, &mut [f64]) -> f64 + Sync),
    ) -> f64 {
        let chunks = self.chunks();
        let mut spare = match self.buffers.lock() {
            Ok(mut b) => std::mem::take(&mut *b),
            Err(_) => Vec::new(),
        };
        spare.resize_with(chunks.len().saturating_sub(1), Vec::new);
        for b in spare.iter_mut() {
            b.clear();
            b.resize(p.len(), 0.0);
        }
        g.iter_mut().for_each(|v| *v = 0.0);
        let (first, rest) = match chunks.split_first() {
            Some((f, r)) => (*f, r),
            None => ((0, 0), &[][..]),
        };
        let (first_loss, rest_losses) = rayon::join(
            || chunk_fn(first.0, first.1, g),
            || -> Vec<f64> {
                rest.par_iter()
                    .zip(spare.par_iter_mut())
                    .map(|(&(start, end), buf)| chunk_fn(start, end, buf))
                    .collect()
            },
        );
        let mut loss = first_loss;
        for l in rest_losses {
            loss += l;
        }
        for b in &spare {
            for (a, v) in g.iter_mut().zip(b) {
                *a += v;
            }
        }
        if let Ok(mut keep) = self.buffers.lock() {
            *keep = spare;
        }
        let split = self.n_features * self.k;
        let reg = self.alpha * self.inv_total;
        let w = p.get(..split).unwrap_or(&[]);
        for (gi, wj) in g.iter_mut().zip(w) {
            *gi += reg * wj;
        }
        loss + 0.5 * reg * lbfgs::dot(w, w)
    }

    /// Row chunks: a fixed function of the row count, so sums do not depend on thread count.
    fn chunks(&self) -> Vec<(usize, usize)> {
        let n = self.x.n_rows();
        let count = (n / MIN_CHUNK_ROWS).clamp(1, MAX_CHUNKS);
        let rows = n.div_ceil(count).max(1);
        (0..n)
            .step_by(rows)
            .map(|a| (a, (a + rows).min(n)))
            .collect()
    }

    /// Cost and gradient for `K` classes, with fixed-size inner loops.
    fn compute_k<const K: usize>(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let split = self.n_features * K;
        let w = p.get(..split).unwrap_or(&[]);
        let mut b = [0.0; K];
        for (bk, pk) in b.iter_mut().zip(p.get(split..).unwrap_or(&[])) {
            *bk = *pk;
        }
        // One fixed-size array per feature: no slice bounds to compute per non-zero.
        let (w, _) = w.as_chunks::<K>();
        let chunk = |start: usize, end: usize, grad: &mut [f64]| -> f64 {
            let mut loss = 0.0;
            let mut gb = [0.0; K];
            let (grad_w, _) = grad
                .get_mut(..split)
                .unwrap_or(&mut [])
                .as_chunks_mut::<K>();
            for r in start..end {
                let row = self.x.row(r);
                let mut z = b;
                for (&j, &v) in row.indices.iter().zip(row.values) {
                    if let Some(wj) = w.get(j as usize) {
                        let v = f64::from(v);
                        for (zc, wc) in z.iter_mut().zip(wj) {
                            *zc += v * wc;
                        }
                    }
                }
                let lse = log_sum_exp(&z);
                let yi = self.y.get(r).copied().unwrap_or(0);
                let si = self.weights.get(r).copied().unwrap_or(1.0) * self.inv_total;
                loss += si * (lse - z.get(yi).copied().unwrap_or(0.0));
                let mut d = [0.0; K];
                for (c, ((dc, zc), gc)) in d.iter_mut().zip(&z).zip(gb.iter_mut()).enumerate() {
                    *dc = si * ((zc - lse).exp() - if c == yi { 1.0 } else { 0.0 });
                    *gc += *dc;
                }
                for (&j, &v) in row.indices.iter().zip(row.values) {
                    if let Some(gj) = grad_w.get_mut(j as usize) {
                        let v = f64::from(v);
                        for (gc, dc) in gj.iter_mut().zip(&d) {
                            *gc += v * dc;
                        }
                    }
                }
            }
            if let Some(gr) = grad.get_mut(split..) {
                for (gc, v) in gr.iter_mut().zip(gb) {
                    *gc += v;
                }
            }
            loss
        };
        self.run_chunks(p, g, &chunk)
    }

    /// Cost and gradient for any number of classes.
    fn compute_dyn(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let k = self.k;
        let split = self.n_features * k;
        let w = p.get(..split).unwrap_or(&[]);
        let b = p.get(split..).unwrap_or(&[]);
        let chunk = |start: usize, end: usize, grad: &mut [f64]| -> f64 {
            let mut loss = 0.0;
            let mut z = vec![0.0; k];
            for r in start..end {
                let row = self.x.row(r);
                for (zi, bi) in z.iter_mut().zip(b) {
                    *zi = *bi;
                }
                for (j, v) in row.iter() {
                    if let Some(wj) = w.get(j * k..j * k + k) {
                        for (zk, wk) in z.iter_mut().zip(wj) {
                            *zk += v * wk;
                        }
                    }
                }
                let lse = log_sum_exp(&z);
                let yi = self.y.get(r).copied().unwrap_or(0);
                let si = self.weights.get(r).copied().unwrap_or(1.0) * self.inv_total;
                loss += si * (lse - z.get(yi).copied().unwrap_or(0.0));
                for (c, zc) in z.iter_mut().enumerate() {
                    let pc = (*zc - lse).exp();
                    *zc = si * (pc - if c == yi { 1.0 } else { 0.0 });
                }
                for (j, v) in row.iter() {
                    if let Some(gj) = grad.get_mut(j * k..j * k + k) {
                        for (gv, d) in gj.iter_mut().zip(&z) {
                            *gv += v * d;
                        }
                    }
                }
                if let Some(gb) = grad.get_mut(split..) {
                    for (gv, d) in gb.iter_mut().zip(&z) {
                        *gv += d;
                    }
                }
            }
            loss
        };
        self.run_chunks(p, g, &chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;
    use ndarray::Array1;

    fn toy() -> (CsrMatrix, Array1<usize>) {
        // Feature 0 means class 0, feature 1 class 1, feature 2 class 2; feature 3 is noise.
        let mut x = CsrMatrix::new(4);
        let mut y = Vec::new();
        for i in 0..30 {
            let c = i % 3;
            x.push_row(&[c as u32, 3], &[1.0, 0.5]);
            y.push(c);
        }
        (x, Array1::from(y))
    }

    #[test]
    fn fits_separable_data_through_linfa_fit() {
        let (x, y) = toy();
        let ds = DatasetBase::new(x.clone(), y.clone());
        let model = LogisticParams::new().alpha(0.1).fit(&ds).unwrap();
        let pred: Array1<usize> = model.predict(&x);
        assert_eq!(pred, y);
        assert!(model.iterations > 0);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y) = toy();
        let y: Vec<usize> = y.to_vec();
        let w = sample_weights(&y, 3, None, true);
        let total: f64 = w.iter().sum();
        let prob = Problem {
            x: &x,
            y: &y,
            weights: &w,
            inv_total: 1.0 / total,
            alpha: 0.7,
            k: 3,
            n_features: 4,
            buffers: std::sync::Mutex::new(Vec::new()),
        };
        let p: Vec<f64> = (0..15).map(|i| (i as f64 * 0.37).sin()).collect();
        let (_, g) = prob.compute(&p);
        for i in 0..p.len() {
            let mut a = p.clone();
            let mut b = p.clone();
            a[i] += 1e-6;
            b[i] -= 1e-6;
            let num = (prob.compute(&a).0 - prob.compute(&b).0) / 2e-6;
            assert!((num - g[i]).abs() < 1e-6, "{i}: {num} vs {}", g[i]);
        }
    }

    /// argmin's L-BFGS (More-Thuente), as linfa-logistic runs it, on the same objective.
    struct ArgminProblem<'a>(&'a Problem<'a>);

    impl argmin::core::CostFunction for ArgminProblem<'_> {
        type Param = Vec<f64>;
        type Output = f64;
        fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
            Ok(self.0.compute(p).0)
        }
    }

    impl argmin::core::Gradient for ArgminProblem<'_> {
        type Param = Vec<f64>;
        type Gradient = Vec<f64>;
        fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
            Ok(self.0.compute(p).1)
        }
    }

    #[test]
    fn reaches_the_same_minimum_as_argmin_lbfgs() {
        use argmin::core::{Executor, State};
        use argmin::solver::linesearch::MoreThuenteLineSearch;
        use argmin::solver::quasinewton::LBFGS;
        // A noisy 3-class problem: not separable, so the minimum is well defined.
        let mut x = CsrMatrix::new(6);
        let mut y = Vec::new();
        for i in 0..90u32 {
            let c = (i % 3) as usize;
            let noise = (i * 7 % 6, i * 11 % 6);
            let mut cols = vec![c as u32, noise.0, noise.1, 3 + (i % 3)];
            cols.sort_unstable();
            cols.dedup();
            let vals: Vec<f32> = cols.iter().map(|&j| 0.3 + (j as f32) * 0.1).collect();
            x.push_row(&cols, &vals);
            y.push(if i % 10 == 0 { (c + 1) % 3 } else { c });
        }
        let w = vec![1.0; y.len()];
        let prob = Problem {
            x: &x,
            y: &y,
            weights: &w,
            inv_total: 1.0 / 90.0,
            alpha: 0.5,
            k: 3,
            n_features: 6,
            buffers: std::sync::Mutex::new(Vec::new()),
        };
        let ours = lbfgs::minimize(
            |p, g| {
                let (c, gr) = prob.compute(p);
                g.copy_from_slice(&gr);
                c
            },
            vec![0.0; 21],
            lbfgs::Settings {
                memory: 5,
                max_iterations: 1000,
                gradient_tolerance: 1e-9,
                cost_tolerance: 0.0,
            },
        );
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(1e-9)
            .unwrap();
        let res = Executor::new(ArgminProblem(&prob), solver)
            .configure(|s| s.param(vec![0.0; 21]).max_iters(1000))
            .run()
            .unwrap();
        let theirs = res.state().get_best_param().unwrap().clone();
        let their_cost = prob.compute(&theirs).0;
        assert!(
            (ours.cost - their_cost).abs() < 1e-9,
            "{} vs {their_cost}",
            ours.cost
        );
        for (a, b) in ours.params.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
    }

    #[test]
    fn bad_params_and_single_class_are_errors() {
        assert!(LogisticParams::new().alpha(-1.0).check().is_err());
        assert!(LogisticParams::new().max_iterations(0).check().is_err());
        let mut x = CsrMatrix::new(1);
        x.push_row(&[0], &[1.0]);
        let ds = DatasetBase::new(x, Array1::from(vec![0usize]));
        assert!(LogisticParams::new().fit(&ds).is_err());
    }

    #[test]
    fn balanced_weights_follow_scikit_learn() {
        // compute_class_weight('balanced', y=[1,1,1,1,0,0]) -> [1.5, 0.75]
        let w = sample_weights(&[1, 1, 1, 1, 0, 0], 2, None, true);
        assert_eq!(w, vec![0.75, 0.75, 0.75, 0.75, 1.5, 1.5]);
    }
}
