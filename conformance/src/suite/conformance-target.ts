/**
 * The target contract, where mutants/, targets/ and crash/ have always imported it from. It lives
 * in environment/ so that properties can use it without importing the runner.
 */
export * from '../environment/conformance-target.js';
