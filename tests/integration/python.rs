//! python-tuf as the judge of what we export.
