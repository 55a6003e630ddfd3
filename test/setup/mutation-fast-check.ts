import fc from 'fast-check';

// Under mutation testing a failing property only has to fail: shrinking the counterexample (what a
// person debugging needs) re-runs the mutated code hundreds of times per killed mutant.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
