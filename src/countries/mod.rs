//! Countries and blocs: the gazetteer and the matcher (placeholder: filled in by the gazetteer work).
