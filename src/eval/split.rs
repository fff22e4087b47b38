//! Seeded, stratified k-fold splits (optionally keeping groups together).
//!
//! Each class's rows are shuffled with the seed and dealt to the folds in turn, so every fold has
//! about the same label mix (scikit-learn's `StratifiedKFold(shuffle=True)`). With groups (for
//! example the passage a sentence comes from), whole groups are dealt instead, largest first, each
//! to the fold that currently has the fewest rows, after a seeded shuffle: near-identical
//! sentences of one passage never straddle train and test. The shuffle is SplitMix64, so the
//! folds depend only on the data and the seed.

/// SplitMix64: a small, well-known generator; enough for shuffling.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Assigns each row to a fold `0..k`, stratified by `classes`.
pub fn stratified_folds(classes: &[usize], k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let n_classes = classes.iter().copied().max().map_or(0, |m| m + 1);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (i, &c) in classes.iter().enumerate() {
        if let Some(v) = by_class.get_mut(c) {
            v.push(i);
        }
    }
    let mut rng = SplitMix64::new(seed);
    let mut fold = vec![0; classes.len()];
    let mut next = 0usize;
    for rows in &mut by_class {
        rng.shuffle(rows);
        for &r in rows.iter() {
            if let Some(f) = fold.get_mut(r) {
                *f = next % k;
            }
            next += 1;
        }
    }
    fold
}

/// Assigns each row to a fold `0..k`, keeping rows with the same group together.
pub fn group_folds(groups: &[String], k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let mut names: Vec<&str> = groups.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, g) in groups.iter().enumerate() {
        if let Ok(idx) = names.binary_search(&g.as_str())
            && let Some(m) = members.get_mut(idx)
        {
            m.push(i);
        }
    }
    let mut order: Vec<usize> = (0..names.len()).collect();
    SplitMix64::new(seed).shuffle(&mut order);
    // Largest groups first (stable, so ties keep the shuffled order).
    order.sort_by_key(|&g| std::cmp::Reverse(members.get(g).map_or(0, Vec::len)));
    let mut sizes = vec![0usize; k];
    let mut fold = vec![0; groups.len()];
    for g in order {
        let target = (0..k)
            .min_by_key(|&f| (sizes.get(f).copied().unwrap_or(0), f))
            .unwrap_or(0);
        for &r in members.get(g).map_or(&[][..], Vec::as_slice) {
            if let Some(f) = fold.get_mut(r) {
                *f = target;
            }
        }
        if let Some(s) = sizes.get_mut(target) {
            *s += members.get(g).map_or(0, Vec::len);
        }
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_folds_balance_labels_and_repeat_with_the_seed() {
        let classes: Vec<usize> = (0..100).map(|i| usize::from(i % 4 == 0)).collect();
        let f = stratified_folds(&classes, 5, 7);
        assert_eq!(f, stratified_folds(&classes, 5, 7));
        assert_ne!(f, stratified_folds(&classes, 5, 8));
        for k in 0..5 {
            let ones = (0..100).filter(|&i| f[i] == k && classes[i] == 1).count();
            let all = f.iter().filter(|&&x| x == k).count();
            assert_eq!(ones, 5);
            assert_eq!(all, 20);
        }
    }

    #[test]
    fn groups_stay_together() {
        let groups: Vec<String> = (0..60).map(|i| format!("p{}", i / 3)).collect();
        let f = group_folds(&groups, 4, 1);
        for i in (0..60).step_by(3) {
            assert_eq!(f[i], f[i + 1]);
            assert_eq!(f[i], f[i + 2]);
        }
        for k in 0..4 {
            assert_eq!(f.iter().filter(|&&x| x == k).count(), 15);
        }
    }
}
