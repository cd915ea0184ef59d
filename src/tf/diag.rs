//! Diagnostics: how every problem reaches the user, with a summary, a detail that says what to
//! do, and optionally the attribute path Terraform uses to point at the configuration line.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Attribute(String),
    Key(String),
    Index(i64),
}

/// A path to an attribute, e.g. `endpoints.vpc` is `[Attribute("endpoints"), Attribute("vpc")]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttrPath(pub Vec<PathStep>);

impl AttrPath {
    /// A path of nested attribute or block names.
    pub fn attrs(names: &[&str]) -> Self {
        AttrPath(
            names
                .iter()
                .map(|n| PathStep::Attribute((*n).to_string()))
                .collect(),
        )
    }

    pub fn attr(name: &str) -> Self {
        Self::attrs(&[name])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttrPath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }

    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(summary, detail)
        }
    }

    pub fn at(mut self, path: AttrPath) -> Self {
        self.attribute = Some(path);
        self
    }
}

/// An ordered list of diagnostics for one RPC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
