package main

// notes is the hand-written part of BENCHMARKS.md: what the figures mean.
// Kept here so that make bench rewrites the file without losing it.
const notes = `## Notes

See the end of this file for the analysis (where the time goes, what was changed, what remains).`
