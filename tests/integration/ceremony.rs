//! Whole ceremonies through the command line.
