//! The incident diary: validation and normalisation of diary entries about offline
//! incidents (`incident` records), and the one table of incident types.
//!
//! The diary form collects what the user typed and the hashes of the files they
//! attached; [`build_incident`] checks it and builds the typed record metadata and the
//! timeline summary. The rules every entry shares (entry time, attachments, text limits)
//! live in [`crate::entries`], which also builds amendments and removals.

use crate::capture::truncate_chars;
pub use crate::entries::{
    attachment_name, clean_media_type, AmendmentInput, AttachmentInput, BuiltEntry, EntryContext,
    RemovalInput, RemovalTarget, TargetRef, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
};
use crate::entries::{attachments, clean, excerpt, local_time};
use crate::error::{Error, Result};
use crate::metadata::{IncidentDetails, IncidentMetadata, IncidentSummary, Metadata, Summary};
pub use crate::metadata::{Person as PersonInput, Police as PoliceInput};
use crate::record::utc_string;
use chrono::{DateTime, SecondsFormat};
use serde::{Deserialize, Serialize};
use serde_json::Map;

/// Incident types, as stored (`type`) and as shown to the user, in the form's order.
pub const INCIDENT_TYPES: [(&str, &str); 13] = [
    ("being_followed", "Being followed"),
    ("phone_call", "Phone call"),
    ("text_message", "Text message"),
    ("note_or_letter", "Note or letter"),
    ("gift_left", "Gift left"),
    ("visit_home", "Came to my home"),
    ("visit_work", "Came to my work or school"),
    ("watching", "Watching or waiting for me"),
    ("online_contact", "Online contact"),
    ("threat", "Threat"),
    ("violence", "Violence"),
    ("damage_to_property", "Damage to property"),
    ("other", "Something else"),
];

/// A diary entry may be dated this far after the entry time (clock drift between devices).
const FUTURE_SLACK_MS: i64 = 10 * 60 * 1000;

/// A diary entry as the form collected it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    /// When it happened: RFC 3339 with the local offset, as entered.
    pub occurred_at: String,
    /// One of [`INCIDENT_TYPES`].
    #[serde(rename = "type")]
    pub incident_type: String,
    /// The user's own words when the type is `other`.
    #[serde(default)]
    pub type_other: Option<String>,
    /// Where it happened.
    #[serde(default)]
    pub location: Option<String>,
    /// What happened, in the user's words (required).
    pub what_happened: String,
    /// Who was involved.
    #[serde(default)]
    pub person: PersonInput,
    /// Who saw it.
    #[serde(default)]
    pub witnesses: Option<String>,
    /// How it affected the user.
    #[serde(default)]
    pub effect: Option<String>,
    /// Police report details.
    #[serde(default)]
    pub police: PoliceInput,
    /// Attached files.
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
}

/// The label shown for an incident type, or `None` for an unknown type.
pub fn incident_type_label(value: &str) -> Option<&'static str> {
    INCIDENT_TYPES
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| *l)
}

/// Validate a diary entry and build its record metadata.
pub fn build_incident(input: &IncidentInput, ctx: &EntryContext) -> Result<BuiltEntry> {
    let entered_at = local_time(ctx)?;
    let label = incident_type_label(&input.incident_type).ok_or_else(|| {
        Error::InvalidInput(format!(
            "{:?} is not one of the incident types",
            input.incident_type
        ))
    })?;
    let type_other = clean(input.type_other.as_deref(), MAX_SHORT_TEXT, "the type")?;
    let type_other = match (input.incident_type.as_str(), type_other) {
        ("other", None) => {
            return Err(Error::InvalidInput(
                "please say what kind of incident it was".into(),
            ))
        }
        ("other", t) => t,
        _ => None,
    };
    let occurred = DateTime::parse_from_rfc3339(input.occurred_at.trim()).map_err(|_| {
        Error::InvalidInput(format!(
            "the date and time of the incident ({:?}) is not a valid date and time",
            input.occurred_at
        ))
    })?;
    if occurred.timestamp_millis() > ctx.entered_at_ms.saturating_add(FUTURE_SLACK_MS) {
        return Err(Error::InvalidInput(
            "the date and time of the incident is in the future".into(),
        ));
    }
    let what = clean(Some(&input.what_happened), MAX_LONG_TEXT, "what happened")?
        .ok_or_else(|| Error::InvalidInput("please describe what happened".into()))?;
    let location = clean(input.location.as_deref(), MAX_SHORT_TEXT, "the location")?;
    let name = clean(input.person.name.as_deref(), MAX_SHORT_TEXT, "the name")?;
    let description = clean(
        input.person.description.as_deref(),
        MAX_LONG_TEXT,
        "the description",
    )?;
    let witnesses = clean(input.witnesses.as_deref(), MAX_LONG_TEXT, "the witnesses")?;
    let effect = clean(
        input.effect.as_deref(),
        MAX_LONG_TEXT,
        "how it affected you",
    )?;
    let reference = clean(
        input.police.reference.as_deref(),
        MAX_SHORT_TEXT,
        "the police reference",
    )?;
    let officer = clean(
        input.police.officer.as_deref(),
        MAX_SHORT_TEXT,
        "the officer",
    )?;
    let (artifacts, attachments) = attachments(&input.attachments)?;
    let title = match &type_other {
        Some(t) => format!("{label}: {}", truncate_chars(t, 80)),
        None => label.to_string(),
    };
    let excerpt = excerpt(&what);
    let authors: Vec<String> = name.iter().cloned().collect();
    let occurred_at = occurred.to_rfc3339_opts(SecondsFormat::Secs, false);
    let occurred_at_utc = utc_string(occurred.timestamp_millis())?;
    let summary = Summary::Incident(IncidentSummary {
        attachment_count: artifacts.len() as u64,
        authors: authors.clone(),
        excerpt: excerpt.clone(),
        incident_type: input.incident_type.clone(),
        location: location.clone(),
        occurred_at: occurred_at.clone(),
        occurred_at_utc: occurred_at_utc.clone(),
        site: None,
        title: title.clone(),
        type_label: label.to_string(),
    });
    let reported = input.police.reported || reference.is_some() || officer.is_some();
    let metadata = Metadata::Incident(Box::new(IncidentMetadata {
        attachments,
        authors,
        entered_at,
        excerpt,
        incident: IncidentDetails {
            effect,
            location,
            occurred_at,
            occurred_at_utc,
            person: PersonInput { name, description },
            police: PoliceInput {
                reported,
                reference,
                officer,
            },
            incident_type: input.incident_type.clone(),
            type_other,
            what_happened: what,
            witnesses,
        },
        site: None,
        title,
        extra: Map::new(),
    }));
    Ok(BuiltEntry {
        metadata,
        artifacts,
        summary,
    })
}

#[cfg(test)]
#[path = "diary_tests.rs"]
mod tests;
