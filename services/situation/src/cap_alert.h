#pragma once

// CAP 1.2 (OASIS Common Alerting Protocol, Version 1.2, 1 July 2010) alert documents for the EOC
// situation console, and a structural check of such documents.
//
// The situation service raises an alert when a threshold is crossed (a site's shelter capacity
// exhausted, open escalations above a limit, a provider not acknowledging), sends an Update when
// the condition changes and a Cancel when it clears. These documents leave the hub, so they carry
// no personal data and no confidential locations: areas are described by name and geocode only
// (never a polygon or circle around a safe house), and the scope is always Restricted. Keeping
// personal data out is the caller's duty; this file cannot tell a name from an event.
//
// render_cap_xml() refuses (std::invalid_argument) a message CAP would not accept instead of
// emitting a document a consumer would drop. check_cap_structure() is independent of the renderer
// (they share only UTF-8 decoding) so that tests and the service's pre-publication check catch the
// renderer's own mistakes: it parses the document with a small strict XML reader and checks it
// against the CAP 1.2 XSD's structure plus the rules of the specification the XSD cannot express
// (restriction with scope Restricted, the references syntax, identifiers without spaces or
// commas, Update/Cancel naming what they update).
//
// Times: CAP 1.2 §3.3.2 forbids "Z" and the XSD pattern forbids fractional seconds; the
// specification's text says "The timezone for UTC MUST be represented as -00:00", so that is what
// the renderer writes (sub-second parts are dropped, not rounded). The checker accepts any offset
// the XSD accepts, "+00:00" included.
//
// Pure functions: no I/O, no clock, no locale.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pact::situation {

inline constexpr std::string_view kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

// <status>: Actual for real conditions, Exercise for drills (the service's exercise mode),
// System for messages about the alerting system itself, Test to be discarded, Draft never sent.
enum class CapStatus { Actual, Exercise, System, Test, Draft };

// <msgType>: the hub issues, updates and cancels its own alerts. (CAP's Ack and Error are for
// replies to others' messages; the checker accepts them, the renderer has no use for them.)
enum class CapMsgType { Alert, Update, Cancel };

// <category>: all of CAP 1.2's categories.
enum class CapCategory { Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other };

// <responseType>: all of CAP 1.2's recommended response types.
enum class CapResponseType { Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear, None };

enum class CapUrgency { Immediate, Expected, Future, Past, Unknown };
enum class CapSeverity { Extreme, Severe, Moderate, Minor, Unknown };
enum class CapCertainty { Observed, Likely, Possible, Unlikely, Unknown };

// The exact spelling CAP 1.2 uses for each value ("AllClear", "CBRNE", ...).
std::string_view to_string(CapStatus value);
std::string_view to_string(CapMsgType value);
std::string_view to_string(CapCategory value);
std::string_view to_string(CapResponseType value);
std::string_view to_string(CapUrgency value);
std::string_view to_string(CapSeverity value);
std::string_view to_string(CapCertainty value);

// <parameter>, <eventCode> and <geocode> are all valueName/value pairs.
struct CapNamedValue {
  std::string value_name;  // must not be empty
  std::string value;
};

// An earlier message this one refers to (an Update or Cancel names the message(s) it supersedes).
// CAP identifies a message by sender, identifier and sent time together, so all three must be
// exactly those of the earlier message as published.
struct CapReference {
  std::string sender;
  std::string identifier;
  std::chrono::system_clock::time_point sent;
};

// <area>: a named area and optional geocodes (e.g. {"ISO3166-2", "MK-18"}). Deliberately no
// polygon or circle: a shelter's coordinates would be a confidential location.
struct CapArea {
  std::string area_desc;  // must not be blank
  std::vector<CapNamedValue> geocodes;
};

// One <info> block. Empty strings are left out of the document (CAP makes them optional);
// `event` and at least one category are required.
struct CapInfo {
  std::string language = "en";  // an xs:language tag: "en", "sr-Latn", "mk"
  std::vector<CapCategory> categories = {CapCategory::Rescue};
  std::string event;  // what happened, short: "Shelter capacity exhausted"
  std::vector<CapResponseType> response_types;
  CapUrgency urgency = CapUrgency::Unknown;
  CapSeverity severity = CapSeverity::Unknown;
  CapCertainty certainty = CapCertainty::Unknown;
  std::optional<std::chrono::system_clock::time_point> effective;
  std::optional<std::chrono::system_clock::time_point> onset;
  std::optional<std::chrono::system_clock::time_point> expires;
  std::string sender_name;  // human-readable, e.g. "PaCT hub MK, EOC duty desk"
  std::string headline;     // CAP advises at most 160 characters (it may be sent as an SMS)
  std::string description;
  std::string instruction;
  std::optional<std::string> web;  // an absolute URI; present means non-empty
  std::vector<CapNamedValue> parameters;
  std::vector<CapArea> areas;
};

// One CAP <alert> message with scope Restricted and one <info> block.
struct CapMessage {
  // Unique for this sender; a new one for every message, Updates and Cancels included. CAP
  // forbids spaces, commas, '<' and '&' here and in `sender` (references are built from them).
  std::string identifier;
  std::string sender;  // globally unique, e.g. "pact-hub-mk@pact.example"
  std::chrono::system_clock::time_point sent;
  CapStatus status = CapStatus::Actual;
  CapMsgType msg_type = CapMsgType::Alert;
  // <scope> is always Restricted; `restriction` says who may see the alert and must be set.
  std::string restriction;
  std::optional<std::string> note;  // present means non-empty
  // Required (at least one) for Update and Cancel.
  std::vector<CapReference> references;
  CapInfo info;
};

// "2025-03-14T09:30:05-00:00": CAP's form of a UTC time (whole seconds, no "Z"). Throws
// std::invalid_argument for a year outside 0001..9999 (unreachable with today's clocks).
std::string format_cap_time(std::chrono::system_clock::time_point time);

// The whole document: XML declaration, UTF-8, elements in the order of the CAP 1.2 XSD.
// Throws std::invalid_argument naming the field (never echoing free text) when the message breaks
// a CAP rule: bad identifier/sender/reference characters, blank event or areaDesc, no category,
// empty restriction, Update/Cancel without references, a bad language tag or web URI, control
// characters or invalid UTF-8 anywhere.
std::string render_cap_xml(const CapMessage& message);

// Every problem found in `xml`, each a readable sentence starting with the line it was found on;
// empty means the document is a well-formed CAP 1.2 alert that passes the XSD's structure and the
// specification's rules listed above. A document that is not well-formed XML (or has a DTD) gets
// the reason it could not be read and nothing else. XML signatures are not supported (reported).
std::vector<std::string> check_cap_structure(std::string_view xml);

}  // namespace pact::situation
