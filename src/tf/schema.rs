//! Schemas as plain data; descriptions here are what `terraform providers schema` and the docs show.

/// The attribute types this provider uses (a subset of cty's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Number,
}

impl Type {
    /// The cty type as JSON, the exact bytes Terraform expects in `Schema.Attribute.type`.
    pub fn cty_json(self) -> &'static [u8] {
        match self {
            Type::String => b"\"string\"",
            Type::Bool => b"\"bool\"",
            Type::Number => b"\"number\"",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub description: &'static str,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    /// A change of this attribute replaces the object (Terraform's `requires_replace`). Not
    /// part of the wire schema: the provider applies it when planning.
    pub force_new: bool,
}

impl Attribute {
    fn new(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            name,
            ty,
            description,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            force_new: false,
        }
    }

    pub fn required(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            required: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn optional(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            optional: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn computed(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            computed: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn optional_computed(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn forces_replacement(mut self) -> Self {
        self.force_new = true;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block; absent is null.
    Single,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedBlock {
    pub name: &'static str,
    pub nesting: Nesting,
    pub block: Block,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Block {
    pub description: &'static str,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}
