//! Conversions the exports share: JS values in and out through serde-wasm-bindgen, byte
//! buffers as `Uint8Array`, and core errors as JS `Error` objects.
//!
//! Key casing: every object the boundary itself defines has camelCase keys. The verifier's
//! report types are shared with the CLI's `--json` report, whose keys stay snake_case;
//! [`to_js_camel`] renames their keys to camelCase on the way out, so the JS sees one
//! casing. Evidence documents (a record, `metadata.json`, a record's summary) cross as
//! they are stored and exported, with the evidence format's own keys.

use crate::error::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// A core error as a JS `Error` whose `name` is the variant and `code` the stable code.
pub(crate) fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.name());
    // Setting a property on a fresh Error object cannot fail; ignore the Result.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

/// An `INVALID_INPUT` error about `what`.
pub(crate) fn bad_input(what: &str, e: impl std::fmt::Display) -> JsValue {
    js_error(Error::InvalidInput(format!("{what}: {e}")))
}

/// A JS value read as `T` (an `INVALID_INPUT` error naming `what` when it does not fit).
pub(crate) fn from_js<T: DeserializeOwned>(v: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(v).map_err(|e| bad_input(what, e))
}

/// `T` as a plain JS value (objects, not Maps; `Bytes` as `Uint8Array`, not an array).
pub(crate) fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    const SERIALIZER: serde_wasm_bindgen::Serializer =
        serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    v.serialize(&SERIALIZER)
        .map_err(|e| bad_input("result does not convert", e))
}

/// `T` as a plain JS value with every object key renamed to camelCase (for the report
/// types shared with the CLI's snake_case JSON).
pub(crate) fn to_js_camel<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let value = serde_json::to_value(v).map_err(|e| bad_input("result does not convert", e))?;
    to_js(&camel_keys(value))
}

fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (camel(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_keys).collect()),
        other => other,
    }
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes that cross as a `Uint8Array` (both ways), not as an array of numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Uint8Array")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
        }
        d.deserialize_byte_buf(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::camel;

    #[test]
    fn keys_become_camel_case() {
        assert_eq!(camel("unexpected_files"), "unexpectedFiles");
        assert_eq!(camel("record_sha256"), "recordSha256");
        assert_eq!(camel("chainOk"), "chainOk");
    }
}
