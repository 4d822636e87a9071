use super::*;

const DRAWS: usize = 200_000;

fn sample(epsilon: f64) -> Vec<i64> {
    let mut rng = rand::rng();
    (0..DRAWS)
        .map(|_| discrete_laplace(epsilon, &mut rng))
        .collect()
}

fn within(measured: f64, expected: f64, tolerance: f64) -> bool {
    (measured - expected).abs() <= tolerance * expected
}

#[test]
fn at_epsilon_one_the_error_matches_theory_within_ten_percent() {
    let epsilon: f64 = 1.0;
    let a = (-epsilon).exp();
    let draws = sample(epsilon);
    let n = draws.len() as f64;
    // Theory for discrete Laplace with α = e^(−ε).
    let mean_abs = 2.0 * a / (1.0 - a * a);
    let variance = 2.0 * a / (1.0 - a).powi(2);
    let p_zero = (1.0 - a) / (1.0 + a);
    let measured_abs = draws.iter().map(|x| x.unsigned_abs() as f64).sum::<f64>() / n;
    let mean = draws.iter().sum::<i64>() as f64 / n;
    let measured_var = draws
        .iter()
        .map(|x| (*x as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    let measured_zero = draws.iter().filter(|x| **x == 0).count() as f64 / n;
    assert!(
        within(measured_abs, mean_abs, 0.10),
        "E|X| {measured_abs} vs {mean_abs}"
    );
    assert!(
        within(measured_var, variance, 0.10),
        "Var {measured_var} vs {variance}"
    );
    assert!(
        within(measured_zero, p_zero, 0.10),
        "P(0) {measured_zero} vs {p_zero}"
    );
    assert!(mean.abs() < 0.05, "unbiased: mean {mean}");
    let positive = draws.iter().filter(|x| **x > 0).count() as f64;
    let negative = draws.iter().filter(|x| **x < 0).count() as f64;
    assert!(
        within(positive, negative, 0.05),
        "symmetric: {positive} vs {negative}"
    );
}

#[test]
fn smaller_epsilon_means_more_noise() {
    let spread = |e: f64| {
        sample(e)
            .iter()
            .map(|x| x.unsigned_abs() as f64)
            .sum::<f64>()
            / DRAWS as f64
    };
    assert!(spread(0.5) > 1.5 * spread(1.0));
}

#[test]
fn noisy_counts_are_clamped_at_zero() {
    // For a true 0, every negative draw becomes 0: P(0) = (1 + P(X = 0)) / 2.
    let a = (-0.5f64).exp();
    let expected = (1.0 + (1.0 - a) / (1.0 + a)) / 2.0;
    let mut rng = rand::rng();
    let zeros = (0..DRAWS)
        .filter(|_| noisy_count(0, 0.5, &mut rng) == 0)
        .count() as f64;
    assert!(within(zeros / DRAWS as f64, expected, 0.10), "{zeros}");
}
