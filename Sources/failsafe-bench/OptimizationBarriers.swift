// Barriers that keep the optimiser from deleting or hoisting the work being measured.
//
// Both functions are `@inline(never)` and `@_optimize(none)`: the caller cannot see through them,
// so a value passed to `blackHole` must really be computed, and a value returned by `identity`
// cannot be constant-folded into the loop. Their own cost (a plain call, about a nanosecond) is
// paid equally by the baselines and by the measured operations, so it cancels in the ratios.

/// Consumes `value` so that computing it cannot be optimised away.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// Returns `value` unchanged, hidden from the optimiser, so it cannot be treated as a constant.
@inline(never) @_optimize(none)
func identity<T>(_ value: T) -> T { value }

/// The stand-in for the user's protected operation: one opaque call that does almost nothing.
///
/// `baseline.bareCall` calls it bare; the guard benchmarks call it through FailSafe, so the
/// difference between them is FailSafe's own cost.
@inline(never) @_optimize(none)
func protectedOperation(_ input: Int) -> Int { input &+ 1 }
