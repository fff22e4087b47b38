//! `classify` and `countries` (being built).

use anyhow::{Result, bail};

use super::args::{ClassifyArgs, CountriesArgs};

pub(crate) fn classify(_a: ClassifyArgs) -> Result<()> {
    bail!("classify is not built yet")
}

pub(crate) fn countries(_a: CountriesArgs) -> Result<()> {
    bail!("countries is not built yet")
}
