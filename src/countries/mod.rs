//! Countries and blocs: the gazetteer and the matcher.
//!
//! TEMPORARY stand-in with the planned API, replaced by the gazetteer work.

use crate::error::Result;

/// Index of an entity in the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u16);

/// Country or bloc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// A state.
    Country,
    /// A bloc.
    Bloc,
}

/// An entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// ISO3 or bloc code.
    pub code: String,
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
}

/// A mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Entity.
    pub entity: EntityId,
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
}

/// The gazetteer.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entities: Vec<Entity>,
}

static EMPTY: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();

impl Gazetteer {
    /// The built-in gazetteer.
    pub fn builtin() -> Result<&'static Gazetteer> {
        Ok(EMPTY.get_or_init(Gazetteer::default))
    }
    /// Looks up a name or code.
    pub fn lookup(&self, name: &str) -> Option<EntityId> {
        self.entities
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(name))
            .map(|i| EntityId(i as u16))
    }
    /// An entity.
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.0 as usize)
    }
    /// Finds mentions.
    pub fn find(&self, _text: &str) -> Vec<Mention> {
        Vec::new()
    }
}
