//! The lowering's side of naming: it asks [`type_names`](super::super::type_names)
//! for every type and file name, and reports what that decided.

use openapiv3::Schema;

use super::super::diag::push_pointer;
use super::super::ir::TypeDef;
use super::super::type_names::{module_names, Claim, NoFreeName, TypeNames};
use super::super::warnings::WarningKind;
use super::Lowering;

impl<'a> Lowering<'a> {
    /// Names the components; keys that make one type name are numbered.
    pub(super) fn name_components(&mut self) {
        let Some(schemas) = self.components() else {
            return;
        };
        let spec = self.spec;
        let (names, components) = TypeNames::for_components(
            schemas.keys().map(|key| {
                let origin = spec.locate(&push_pointer("/components/schemas", key));
                (key.as_str(), origin)
            }),
            &spec.vocabulary,
        );
        self.names = names;
        for (key, name) in &components.by_key {
            let unsplit = spec.vocabulary.split(key).unsplit;
            if !unsplit.is_empty() {
                let runs = unsplit
                    .iter()
                    .map(|run| format!("`{run}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.warn(
                    WarningKind::UnsplitName,
                    &push_pointer("/components/schemas", key),
                    format!("no words of the spec spell {runs}; the type is named `{name}`"),
                );
            }
        }
        self.component_names = components.by_key;
        for renamed in components.renamed {
            self.warn(
                WarningKind::TypeNameCollision,
                &push_pointer("/components/schemas", &renamed.key),
                format!(
                    "schemas `{}` and `{}` make one Rust type name; `{}` keeps it, this one is `{}`",
                    renamed.keeps_name, renamed.key, renamed.keeps_name, renamed.name
                ),
            );
        }
    }

    /// The name of the type for the schema at `pointer`, which wants
    /// `wanted`: whether it is new, or the type already made for it.
    pub(super) fn claim(&mut self, wanted: &str, pointer: &str, schema: Option<&Schema>) -> Claim {
        let origin = self.spec.locate(pointer);
        match self
            .names
            .claim(wanted, origin, schema, &self.spec.root_file)
        {
            Ok(Claim::New(name)) if name != wanted => {
                self.warn(
                    WarningKind::TypeNameCollision,
                    pointer,
                    format!("the type name `{wanted}` is taken by another schema; named `{name}`"),
                );
                Claim::New(name)
            }
            Ok(claim) => claim,
            Err(NoFreeName) => {
                self.error(
                    pointer,
                    format!("no free type name for this schema (wanted `{wanted}`)"),
                );
                Claim::Existing(wanted.to_owned())
            }
        }
    }

    /// Defines `def` under the name [`Self::claim`] gives; that name.
    pub(super) fn define(
        &mut self,
        pointer: &str,
        schema: Option<&Schema>,
        mut def: TypeDef,
    ) -> String {
        match self.claim(&def.name, pointer, schema) {
            Claim::New(name) => {
                def.name.clone_from(&name);
                self.types.insert(name.clone(), def);
                name
            }
            Claim::Existing(name) => name,
        }
    }

    /// File names of the types: snake case, unique.
    pub(super) fn name_modules(&mut self) {
        let modules = module_names(self.types.keys().map(String::as_str));
        for (def, module) in self.types.values_mut().zip(modules) {
            def.module = module;
        }
    }
}
