//! Security requirements. The client authenticates every request the same
//! way (a bearer token, given or fetched with client credentials), so a
//! requirement changes nothing in the emitted code; what is checked is
//! that each scheme it names is defined. SailPoint's per-resource specs
//! name schemes that only the root joining them defines, and some name
//! `UserContextAuth`, which none does.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SecurityRequirement};

use super::super::diag::push_pointer;
use super::super::warnings::WarningKind;
use super::Lowering;

impl Lowering<'_> {
    /// A warning per scheme that requirements name but the document does
    /// not define, at its first use, with how many uses there are.
    pub(super) fn check_security(&mut self) {
        let defined = self
            .openapi
            .components
            .as_ref()
            .map(|components| &components.security_schemes);
        let mut requirements: Vec<(String, &SecurityRequirement)> = Vec::new();
        for (index, requirement) in self.openapi.security.iter().flatten().enumerate() {
            requirements.push((format!("/security/{index}"), requirement));
        }
        for (path, item) in &self.openapi.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, operation) in item.iter() {
                let at = push_pointer(&push_pointer("/paths", path), method);
                for (index, requirement) in operation.security.iter().flatten().enumerate() {
                    requirements.push((format!("{at}/security/{index}"), requirement));
                }
            }
        }
        // Scheme → (first pointer, uses).
        let mut undefined: BTreeMap<&str, (String, usize)> = BTreeMap::new();
        for (pointer, requirement) in &requirements {
            for scheme in requirement.keys() {
                if defined.is_some_and(|defined| defined.contains_key(scheme)) {
                    continue;
                }
                undefined
                    .entry(scheme)
                    .or_insert_with(|| (push_pointer(pointer, scheme), 0))
                    .1 += 1;
            }
        }
        for (scheme, (pointer, uses)) in undefined {
            let defined_here = if defined.is_some_and(|defined| !defined.is_empty()) {
                "is not one of the document's `components/securitySchemes`"
            } else {
                "is not defined: the document has no `components/securitySchemes`"
            };
            self.warn(
                WarningKind::SecuritySchemeUndefined,
                &pointer,
                format!(
                    "the security scheme `{scheme}` {defined_here} ({uses} requirement(s) name it); requests are authenticated as the client is configured"
                ),
            );
        }
    }
}
