//! Schemas as plain data; descriptions here are what `terraform providers schema` and the docs show.

/// The attribute types this provider uses (a subset of cty's). Collection and object types
/// refer to static element types, so that every schema is plain constant data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Number,
    List(&'static Type),
    Set(&'static Type),
    Map(&'static Type),
    /// An object with these attributes, all of them present (cty's object type).
    Object(&'static [(&'static str, Type)]),
}

impl Type {
    /// The cty type as JSON, the exact bytes Terraform expects in `Schema.Attribute.type`.
    pub fn cty_json(self) -> Vec<u8> {
        self.cty().to_string().into_bytes()
    }

    fn cty(self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Bool => J::from("bool"),
            Type::Number => J::from("number"),
            Type::List(t) => J::from(vec![J::from("list"), t.cty()]),
            Type::Set(t) => J::from(vec![J::from("set"), t.cty()]),
            Type::Map(t) => J::from(vec![J::from("map"), t.cty()]),
            Type::Object(attrs) => {
                let m: serde_json::Map<String, J> = attrs
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.cty()))
                    .collect();
                J::from(vec![J::from("object"), J::Object(m)])
            }
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

#[cfg(test)]
mod tests {
    use super::Type;

    #[test]
    fn cty_type_json() {
        assert_eq!(Type::String.cty_json(), b"\"string\"");
        assert_eq!(Type::Set(&Type::String).cty_json(), br#"["set","string"]"#);
        const OBJ: Type = Type::Object(&[("b", Type::Bool), ("a", Type::Map(&Type::String))]);
        assert_eq!(
            Type::List(&OBJ).cty_json(),
            br#"["list",["object",{"a":["map","string"],"b":"bool"}]]"#
        );
    }
}
