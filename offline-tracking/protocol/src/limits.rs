/// Most records one push may carry; a larger backlog goes in several pushes.
pub const MAX_BATCH_RECORDS: usize = 500;

/// Most bytes the records of one push may take (the signed payloads together).
pub const MAX_BATCH_BYTES: usize = 2 * 1024 * 1024;
