//! The matching domain: the instrument and its scoring, consultant profiles
//! and their taxonomy, and how candidates are ranked and explained.

pub mod instrument;
pub mod instrument_items;
pub mod profile;
pub mod ranking;
pub mod taxonomy;
