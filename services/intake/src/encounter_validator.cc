#include "encounter_validator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace pact::intake {
namespace {

namespace common = pact::common::v1;
using Clock = std::chrono::system_clock;
using google::protobuf::Timestamp;

// ---------------------------------------------------------------------------------------------
// Limits. Generous for real encounters, small enough that one request cannot make intake hold,
// encrypt or log megabytes (a mass arrival means thousands of registrations a second).
// ---------------------------------------------------------------------------------------------

// A UUID is 36 characters; 128 leaves room for client prefixes and still hashes cheaply.
constexpr std::size_t kMaxIdempotencyKeyBytes = 128;
// Directory, site, emergency, case, consent and subject ids are configured or minted, never long.
constexpr std::size_t kMaxIdBytes = 128;
// A role name such as "competent_authority".
constexpr std::size_t kMaxRoleBytes = 64;
// Names and places: long compound names fit in 100 letters, and Cyrillic or Arabic letters take
// two bytes each in UTF-8.
constexpr std::size_t kMaxNameBytes = 200;
// Passport and ID numbers are under 20 characters; registration numbers of some centres are
// longer. 64 bytes fits all of them and keeps the blind-index input bounded.
constexpr std::size_t kMaxIdentifierValueBytes = 64;
// A phone number, e-mail address or messenger handle, and the label saying whose it is.
constexpr std::size_t kMaxContactBytes = 256;
// A few sentences for a provider (a need's details, travel plans, where the person was found);
// longer accounts belong in the notes.
constexpr std::size_t kMaxDetailsBytes = 2 * 1024;
// A professional's notes: a page of text.
constexpr std::size_t kMaxNotesBytes = 8 * 1024;
// BCP 47 asks implementations to accept tags of at least 35 characters.
constexpr std::size_t kMaxLanguageTagBytes = 35;

constexpr std::size_t kMaxOtherNames = 20;
constexpr std::size_t kMaxIdentifiers = 20;
constexpr std::size_t kMaxContacts = 20;
constexpr std::size_t kMaxLanguages = 16;
// People with more than a handful of nationalities are rare; ten is far beyond them.
constexpr std::size_t kMaxAdditionalNationalities = 10;
// The longest ILO/EC list (adult labour) has 67 indicators; no encounter shows more than 50.
constexpr std::size_t kMaxIndicators = 50;
// There are 16 need types and a case lists each at most once.
constexpr std::size_t kMaxNeeds = 20;
// There are 6 consent scopes.
constexpr std::size_t kMaxConsentScopes = 16;

// Nobody verifiably alive is older; larger values are typing errors.
constexpr std::uint32_t kMaxAgeYears = 120;
// Dates of birth before this year are typing errors ("0199" for "1999").
constexpr int kEarliestBirthYear = 1900;
// Clients' clocks drift; a time a little ahead of ours is not a time in the future.
constexpr auto kClockSkew = std::chrono::minutes(5);
// A date of birth is a local date. Somewhere on earth (UTC+14) it is already tomorrow, so "today"
// for the person may be our UTC tomorrow; the Western Balkans themselves are an hour or two ahead.
constexpr auto kLatestUtcOffset = std::chrono::hours(14);

constexpr std::size_t kMinIndicatorIdLength = 3;
constexpr std::size_t kMaxIndicatorIdLength = 40;

// google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr std::int64_t kMinTimestampSeconds = -62'135'596'800;
constexpr std::int64_t kMaxTimestampSeconds = 253'402'300'799;
constexpr std::int32_t kMaxTimestampNanos = 999'999'999;

// ISO 3166-1 alpha-2: every officially assigned code (iso-codes 4.15), plus the user-assigned "XK"
// for Kosovo* that the EU and IOM use. A fixed table, so a code cannot appear or vanish with the
// machine's locale data. Sorted for binary search.
constexpr std::array<std::string_view, 250> kCountryCodes = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};
static_assert(std::is_sorted(kCountryCodes.begin(), kCountryCodes.end()));

// The country code of each MARRI jurisdiction, to catch a next destination whose country code
// contradicts its jurisdiction.
struct JurisdictionCountry {
  common::Jurisdiction jurisdiction;
  std::string_view country_code;
};
constexpr std::array<JurisdictionCountry, 6> kJurisdictionCountries = {{
    {common::JURISDICTION_AL, "AL"},
    {common::JURISDICTION_BA, "BA"},
    {common::JURISDICTION_XK, "XK"},
    {common::JURISDICTION_ME, "ME"},
    {common::JURISDICTION_MK, "MK"},
    {common::JURISDICTION_RS, "RS"},
}};

// IOM HTCDS age bands in years, both ends included.
struct YearsRange {
  std::uint32_t min;
  std::uint32_t max;
};
struct AgeBandYears {
  common::AgeBand band;
  YearsRange years;
};
constexpr std::array<AgeBandYears, 9> kAgeBands = {{
    {common::AGE_BAND_0_8, {0, 8}},
    {common::AGE_BAND_9_17, {9, 17}},
    {common::AGE_BAND_18_20, {18, 20}},
    {common::AGE_BAND_21_23, {21, 23}},
    {common::AGE_BAND_24_26, {24, 26}},
    {common::AGE_BAND_27_29, {27, 29}},
    {common::AGE_BAND_30_38, {30, 38}},
    {common::AGE_BAND_39_47, {39, 47}},
    {common::AGE_BAND_48_PLUS, {48, kMaxAgeYears}},
}};

// ---------------------------------------------------------------------------------------------
// Required fields per reporter sector.
//
// Every sector gives: reporter.sector, reporter.organization_id, reporter.jurisdiction,
// reporter.site.site_id, person, person.age.certainty (AGE_CERTAINTY_UNKNOWN is an answer: the
// child/adult decision rests on it) and encountered_at (offline clients send registrations late,
// so only the client knows when the encounter was).
//
// The extra fields below are all answerable with an explicit "unknown" value where one exists
// (COMPANION_STATUS_UNKNOWN, NATIONALITY_STATUS_UNKNOWN), so requiring them costs one tap and never
// forces a guess. They are asked only where the sector's work produces the answer anyway, because a
// rejected registration in a crowded centre may be one that is never entered again.
// ---------------------------------------------------------------------------------------------

enum class Presence { kOptional, kRequired };

struct SectorRequirements {
  common::Sector sector;
  // The site's municipality ranks providers by closeness. Sectors working at fixed premises that
  // are configured sites (hospitals, centres, schools) have it in the site configuration; sectors
  // working in the field (patrols and border crossings, outreach, workplace inspections) must say.
  Presence site_municipality;
  // Whether a child travels with a responsible adult is the basis of the unaccompanied/separated
  // flag and of the guardian request.
  Presence companion_status;
  // Nationality status (unknown and stateless allowed).
  Presence nationality_status;
};

constexpr auto kReq = Presence::kRequired;
constexpr auto kOpt = Presence::kOptional;

constexpr std::array<SectorRequirements, 6> kSectorRequirements = {{
    //                                  municipality companion nationality
    // Police and border police: in the field; they establish travel companions and nationality
    // at every border encounter.
    {common::SECTOR_POLICE, kReq, kReq, kReq},
    // Social welfare and guardianship: outreach visits; companion status decides the guardian.
    {common::SECTOR_SOCIAL_WELFARE, kReq, kReq, kOpt},
    // Health: emergency care comes first, and a nurse must not be kept from a patient by questions
    // the patient cannot answer yet. Only the common fields.
    {common::SECTOR_HEALTH, kOpt, kOpt, kOpt},
    // Reception and transit centres register family units and nationality on arrival.
    {common::SECTOR_PROTECTION_FACILITY, kOpt, kReq, kReq},
    // Schools meet children: whether the child lives with parents is the first protection question.
    {common::SECTOR_EDUCATION, kOpt, kReq, kOpt},
    // Labour inspection happens at workplaces anywhere. Nationality stays optional: asking for it
    // must not turn an inspection into immigration enforcement (non-punishment, REFERENCE §0).
    {common::SECTOR_EMPLOYMENT, kReq, kOpt, kOpt},
}};

// What a missing or undefined sector adds: nothing beyond the common fields (the sector itself
// is reported missing).
constexpr SectorRequirements kCommonRequirementsOnly = {common::SECTOR_UNSPECIFIED, kOpt, kOpt, kOpt};

const SectorRequirements& requirements_of(int sector) {
  for (const auto& row : kSectorRequirements) {
    if (row.sector == sector) return row;
  }
  return kCommonRequirementsOnly;
}

// ---------------------------------------------------------------------------------------------
// Collecting violations with their paths.
// ---------------------------------------------------------------------------------------------

class Violations {
 public:
  void add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  std::vector<rpc::FieldViolation> release() { return std::move(list_); }

 private:
  std::vector<rpc::FieldViolation> list_;
};

std::string path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  std::string joined(parent);
  joined += '.';
  joined += child;
  return joined;
}

std::string element_path(std::string_view repeated_field, std::size_t index) {
  return std::string(repeated_field) + "[" + std::to_string(index) + "]";
}

std::string too_long(std::size_t max_bytes) {
  return "is too long; at most " + std::to_string(max_bytes) + " bytes are accepted";
}

// Checks the number of entries, then each entry under its own path. Past the limit the entries
// are not looked at: one violation says the list is too long instead of one per entry.
template <typename Entries, typename CheckEntry>
void check_entries(Violations& out, const std::string& field, const Entries& entries, std::size_t max_entries,
                   CheckEntry check_entry) {
  if (static_cast<std::size_t>(entries.size()) > max_entries) {
    out.add(field, "has too many entries; at most " + std::to_string(max_entries) + " are accepted");
    return;
  }
  std::size_t index = 0;
  for (const auto& entry : entries) check_entry(element_path(field, index++), entry);
}

// The values of a list, to find an entry of another list that contradicts one of them.
template <typename Value, typename Entries>
std::set<Value> values_of(const Entries& entries) {
  return std::set<Value>(entries.begin(), entries.end());
}

// ---------------------------------------------------------------------------------------------
// Text: strict UTF-8, control characters, sizes.
// ---------------------------------------------------------------------------------------------

bool is_continuation_byte(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// What a UTF-8 lead byte announces: the sequence length, the code point bits it carries, and the
// smallest code point that needs this length (anything below it is an overlong form).
struct Utf8Lead {
  std::size_t length;
  char32_t bits;
  char32_t smallest;
};

std::optional<Utf8Lead> classify_lead_byte(unsigned char lead) {
  if (lead < 0x80) return Utf8Lead{1, lead, 0};
  if (lead >= 0xC2 && lead <= 0xDF) return Utf8Lead{2, lead & 0x1Fu, 0x80};
  if (lead >= 0xE0 && lead <= 0xEF) return Utf8Lead{3, lead & 0x0Fu, 0x800};
  if (lead >= 0xF0 && lead <= 0xF4) return Utf8Lead{4, lead & 0x07u, 0x10000};
  return std::nullopt;  // a continuation byte, C0/C1 (always overlong) or F5..FF (beyond U+10FFFF)
}

// Decodes the code point at `position` and advances past it. Strict (RFC 3629): no overlong
// forms, no surrogates, nothing above U+10FFFF. Lenient decoders let two spellings of one text
// through, which would defeat the blind indexes and could smuggle characters past these checks.
std::optional<char32_t> decode_code_point(std::string_view text, std::size_t& position) {
  std::optional<Utf8Lead> lead = classify_lead_byte(static_cast<unsigned char>(text[position]));
  if (!lead || text.size() - position < lead->length) return std::nullopt;
  char32_t code_point = lead->bits;
  for (std::size_t i = 1; i < lead->length; ++i) {
    auto byte = static_cast<unsigned char>(text[position + i]);
    if (!is_continuation_byte(byte)) return std::nullopt;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  bool is_surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < lead->smallest || is_surrogate || code_point > 0x10FFFF) return std::nullopt;
  position += lead->length;
  return code_point;
}

// Single-line fields (names, ids, labels) allow no control character; free text allows line feed
// and tab. Carriage returns are refused too: clients send "\n" line ends.
enum class Layout { kSingleLine, kMultiLine };

bool is_forbidden_control(char32_t code_point, Layout layout) {
  bool is_control = code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
  bool is_allowed_whitespace = layout == Layout::kMultiLine && (code_point == '\n' || code_point == '\t');
  return is_control && !is_allowed_whitespace;
}

enum class TextProblem { kNone, kInvalidUtf8, kControlCharacter };

TextProblem find_text_problem(std::string_view text, Layout layout) {
  std::size_t position = 0;
  bool has_control = false;
  while (position < text.size()) {
    std::optional<char32_t> code_point = decode_code_point(text, position);
    if (!code_point) return TextProblem::kInvalidUtf8;
    has_control = has_control || is_forbidden_control(*code_point, layout);
  }
  return has_control ? TextProblem::kControlCharacter : TextProblem::kNone;
}

struct TextRule {
  std::size_t max_bytes;
  Layout layout;
};
constexpr TextRule kNameText{kMaxNameBytes, Layout::kSingleLine};
constexpr TextRule kIdentifierValueText{kMaxIdentifierValueBytes, Layout::kSingleLine};
constexpr TextRule kContactText{kMaxContactBytes, Layout::kSingleLine};
constexpr TextRule kDetailsText{kMaxDetailsBytes, Layout::kMultiLine};
constexpr TextRule kNotesText{kMaxNotesBytes, Layout::kMultiLine};

void check_text(Violations& out, const std::string& field, std::string_view value, Presence presence,
                TextRule rule) {
  if (value.empty()) {
    if (presence == Presence::kRequired) out.add(field, "is required");
    return;
  }
  if (value.size() > rule.max_bytes) return out.add(field, too_long(rule.max_bytes));
  switch (find_text_problem(value, rule.layout)) {
    case TextProblem::kInvalidUtf8:
      return out.add(field, "is not valid UTF-8; send the text encoded as UTF-8");
    case TextProblem::kControlCharacter:
      return out.add(field, rule.layout == Layout::kSingleLine
                                ? "contains a control character; send one line without tabs or control characters"
                                : "contains a control character; only line feed (\\n) and tab are accepted");
    case TextProblem::kNone:
      return;
  }
}

// Ids and keys: visible ASCII without spaces, so two keys never differ only by invisible
// whitespace (which would make two cases of one registration).
bool is_visible_ascii(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

// Returns whether the value passed (an absent optional value passes).
bool check_token(Violations& out, const std::string& field, std::string_view value, Presence presence,
                 std::size_t max_bytes = kMaxIdBytes) {
  if (value.empty()) {
    if (presence == Presence::kOptional) return true;
    out.add(field, "is required");
  } else if (value.size() > max_bytes) {
    out.add(field, too_long(max_bytes));
  } else if (!is_visible_ascii(value)) {
    out.add(field, "must be printable ASCII without spaces or control characters");
  } else {
    return true;
  }
  return false;
}

void check_idempotency_key(Violations& out, const std::string& field, std::string_view key) {
  if (key.empty()) {
    return out.add(field, "is required; send a key made once per form (e.g. a UUID) and reuse it on every retry");
  }
  check_token(out, field, key, Presence::kRequired, kMaxIdempotencyKeyBytes);
}

// ---------------------------------------------------------------------------------------------
// Enums.
// ---------------------------------------------------------------------------------------------

template <typename Enum>
std::string value_names(bool include_unspecified) {
  const google::protobuf::EnumDescriptor* descriptor = google::protobuf::GetEnumDescriptor<Enum>();
  std::string names;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    if (value->number() == 0 && !include_unspecified) continue;
    if (!names.empty()) names += ", ";
    names += value->name();
  }
  return names;
}

// Required: a defined value other than UNSPECIFIED (0). Optional: any defined value.
template <typename Enum>
bool check_enum(Violations& out, const std::string& field, int value, bool (*is_defined)(int), Presence presence) {
  if (!is_defined(value)) {
    out.add(field, "is not a defined value; use one of " + value_names<Enum>(presence == Presence::kOptional));
    return false;
  }
  if (value == 0 && presence == Presence::kRequired) {
    out.add(field, "is required; choose one of " + value_names<Enum>(false));
    return false;
  }
  return true;
}

// The jurisdiction of a reporter, a site or a sending hub: a MARRI participant, never OTHER,
// which no hub serves and which only describes destinations.
void check_hub_jurisdiction(Violations& out, const std::string& field, int value, Presence presence) {
  if (!check_enum<common::Jurisdiction>(out, field, value, common::Jurisdiction_IsValid, presence)) return;
  if (value == common::JURISDICTION_OTHER) {
    out.add(field, "must be a MARRI participant (JURISDICTION_AL, _BA, _XK, _ME, _MK or _RS); OTHER only "
                   "describes destinations");
  }
}

// ---------------------------------------------------------------------------------------------
// Codes: countries, languages, indicators.
// ---------------------------------------------------------------------------------------------

bool is_country_code(std::string_view code) {
  return std::binary_search(kCountryCodes.begin(), kCountryCodes.end(), code);
}

void check_country_code(Violations& out, const std::string& field, std::string_view code, Presence presence) {
  if (code.empty()) {
    if (presence == Presence::kRequired) out.add(field, "is required; give the ISO 3166-1 alpha-2 code");
  } else if (!is_country_code(code)) {
    out.add(field, "is not an ISO 3166-1 alpha-2 country code; use two upper-case letters such as \"SY\" or "
                   "\"AF\" (\"XK\" for Kosovo*)");
  }
}

std::optional<std::string_view> country_code_of(int jurisdiction) {
  for (const auto& row : kJurisdictionCountries) {
    if (row.jurisdiction == jurisdiction) return row.country_code;
  }
  return std::nullopt;
}

bool is_marri_country(std::string_view code) {
  return std::any_of(kJurisdictionCountries.begin(), kJurisdictionCountries.end(),
                     [&](const JurisdictionCountry& row) { return row.country_code == code; });
}

bool all_of_chars(std::string_view text, bool (*predicate)(char)) {
  return std::all_of(text.begin(), text.end(), predicate);
}
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ISO 639-1 or 639-3 language code: 2 or 3 lower-case letters.
bool is_language_code(std::string_view code) {
  return (code.size() == 2 || code.size() == 3) && all_of_chars(code, is_lower);
}

bool is_script_subtag(std::string_view subtag) {  // ISO 15924, e.g. "Latn", "Cyrl", "Arab"
  return subtag.size() == 4 && is_upper(subtag[0]) && all_of_chars(subtag.substr(1), is_lower);
}

bool is_region_subtag(std::string_view subtag) {  // ISO 3166-1 or UN M.49, e.g. "RS", "419"
  bool is_country = subtag.size() == 2 && all_of_chars(subtag, is_upper);
  bool is_un_region = subtag.size() == 3 && all_of_chars(subtag, is_digit);
  return is_country || is_un_region;
}

std::vector<std::string_view> split_subtags(std::string_view tag) {
  std::vector<std::string_view> subtags;
  for (std::size_t start = 0;;) {
    std::size_t dash = tag.find('-', start);
    subtags.push_back(tag.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) return subtags;
    start = dash + 1;
  }
}

// The BCP 47 tags texts are chosen by: a language code, then optionally a script and a region in
// canonical case ("sr-Latn", "sr-Cyrl-RS", "fa-AF"). The script matters for what a person reads.
bool is_language_tag(std::string_view tag) {
  if (tag.size() > kMaxLanguageTagBytes) return false;
  std::vector<std::string_view> subtags = split_subtags(tag);
  std::size_t next = 1;
  if (next < subtags.size() && is_script_subtag(subtags[next])) ++next;
  if (next < subtags.size() && is_region_subtag(subtags[next])) ++next;
  return is_language_code(subtags.front()) && next == subtags.size();
}

void check_language_tag(Violations& out, const std::string& field, std::string_view tag, Presence presence) {
  if (tag.empty()) {
    if (presence == Presence::kRequired) out.add(field, "is required; give a BCP 47 language tag such as \"ar\"");
  } else if (!is_language_tag(tag)) {
    out.add(field, "is not a language tag; use an ISO 639 code of 2-3 lower-case letters, optionally with script "
                   "and region (\"ar\", \"sr-Latn\", \"fa-AF\")");
  }
}

// Spoken languages are coarse attributes counted in aggregates and matched to interpreters: a
// spoken language has no script, so "sr", not "sr-Latn".
void check_spoken_language(Violations& out, const std::string& field, std::string_view code) {
  if (!is_language_code(code)) {
    out.add(field, "is not an ISO 639 language code; use 2-3 lower-case letters such as \"ar\" or \"fa\", "
                   "without script or region");
  }
}

using IdList = google::protobuf::RepeatedPtrField<std::string>;

// `retracted_alongside` holds the ids an amendment retracts: adding and retracting one id at once is
// a contradiction nobody could resolve later.
void check_indicator_ids(Violations& out, const std::string& field, const IdList& ids,
                         const std::set<std::string>& retracted_alongside = {}) {
  std::set<std::string_view> seen;
  check_entries(out, field, ids, kMaxIndicators, [&](const std::string& entry, const std::string& id) {
    if (!is_well_formed_indicator_id(id)) {
      out.add(entry, "is not an indicator id; use the catalogue's id: 3-40 upper-case letters, digits and '-', "
                     "starting with a letter (e.g. \"ILO-AL-D1-01\")");
    } else if (!seen.insert(id).second) {
      // A repeated id would count twice towards the ILO combination rule.
      out.add(entry, "repeats an indicator listed before; list each indicator once");
    } else if (retracted_alongside.count(id) > 0) {
      out.add(entry, "is also retracted by this amendment; add or retract an indicator, not both");
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Dates and times.
// ---------------------------------------------------------------------------------------------

bool is_valid_timestamp(const Timestamp& time) {
  return time.seconds() >= kMinTimestampSeconds && time.seconds() <= kMaxTimestampSeconds && time.nanos() >= 0 &&
         time.nanos() <= kMaxTimestampNanos;
}

bool is_later_than(const Timestamp& time, Clock::time_point limit) {
  auto limit_seconds = std::chrono::floor<std::chrono::seconds>(limit);
  auto limit_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(limit - limit_seconds).count();
  return std::pair<std::int64_t, std::int64_t>(time.seconds(), time.nanos()) >
         std::pair<std::int64_t, std::int64_t>(limit_seconds.time_since_epoch().count(), limit_nanos);
}

void check_timestamp(Violations& out, const std::string& field, bool present, const Timestamp& time,
                     Presence presence) {
  if (!present) {
    if (presence == Presence::kRequired) out.add(field, "is required");
  } else if (!is_valid_timestamp(time)) {
    out.add(field, "is not a valid timestamp; give a UTC time between years 0001 and 9999 with nanos below 1e9");
  }
}

void check_past_timestamp(Violations& out, const std::string& field, bool present, const Timestamp& time,
                          Presence presence, Clock::time_point now) {
  if (present && is_valid_timestamp(time) && is_later_than(time, now + kClockSkew)) {
    return out.add(field, "is in the future; give the time it happened (UTC)");
  }
  check_timestamp(out, field, present, time, presence);
}

// An ISO 8601 date, possibly partial: "1999", "1999-04" or "1999-04-17".
struct PartialDate {
  int year = 0;
  std::optional<unsigned> month;
  std::optional<unsigned> day;
};

std::optional<unsigned> parse_digits(std::string_view text, std::size_t count) {
  if (text.size() != count || !all_of_chars(text, is_digit)) return std::nullopt;
  unsigned value = 0;
  for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

std::optional<PartialDate> parse_partial_date(std::string_view text) {
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
  PartialDate date;
  auto year = parse_digits(text.substr(0, 4), 4);
  if (!year) return std::nullopt;
  date.year = static_cast<int>(*year);
  if (text.size() >= 7) {
    auto month = parse_digits(text.substr(5, 2), 2);
    if (text[4] != '-' || !month) return std::nullopt;
    date.month = month;
  }
  if (text.size() == 10) {
    auto day = parse_digits(text.substr(8, 2), 2);
    if (text[7] != '-' || !day) return std::nullopt;
    date.day = day;
  }
  return date;
}

// The first day the (partial) date can mean; invalid for dates that are not in the calendar.
std::chrono::year_month_day earliest_day(const PartialDate& date) {
  return std::chrono::year{date.year} / std::chrono::month{date.month.value_or(1)} /
         std::chrono::day{date.day.value_or(1)};
}

std::chrono::year_month_day latest_local_date(Clock::time_point now) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now + kLatestUtcOffset)};
}

void check_date_of_birth(Violations& out, const std::string& field, std::string_view text, Clock::time_point now) {
  if (text.empty()) return;
  std::optional<PartialDate> date = parse_partial_date(text);
  if (!date) {
    return out.add(field, "must be an ISO 8601 date YYYY-MM-DD, or YYYY-MM or YYYY when only part is known");
  }
  if (!earliest_day(*date).ok()) return out.add(field, "is not a date in the calendar; check month and day");
  if (date->year < kEarliestBirthYear) {
    return out.add(field, "is before " + std::to_string(kEarliestBirthYear) + "; check the year");
  }
  if (earliest_day(*date) > latest_local_date(now)) {
    out.add(field, "is in the future; give the date of birth as stated or documented, or leave it empty");
  }
}

// ---------------------------------------------------------------------------------------------
// The person.
// ---------------------------------------------------------------------------------------------

std::optional<YearsRange> band_years(int band) {
  for (const auto& row : kAgeBands) {
    if (row.band == band) return row.years;
  }
  return std::nullopt;
}

bool has_estimate(const common::Age& age) { return age.has_estimate_min_years() || age.has_estimate_max_years(); }
bool has_age_figure(const common::Age& age) { return age.has_years() || has_estimate(age); }

// The years the recorded figures point to: the single age if given, else the estimate's range.
YearsRange recorded_years(const common::Age& age) {
  if (age.has_years()) return {age.years(), age.years()};
  return {age.estimate_min_years(), age.estimate_max_years()};
}

bool overlaps(YearsRange a, YearsRange b) { return a.min <= b.max && b.min <= a.max; }

// Each figure is a plausible number of years. Returns false when it is not.
bool check_years_figure(Violations& out, const std::string& field, bool present, std::uint32_t years) {
  if (!present || years <= kMaxAgeYears) return true;
  out.add(field, "is too high; give at most " + std::to_string(kMaxAgeYears) + " years");
  return false;
}

// An estimate has both bounds. Returns false when one is missing.
bool check_estimate_complete(Violations& out, const std::string& field, const common::Age& age) {
  if (age.has_estimate_min_years() == age.has_estimate_max_years()) return true;
  const char* missing = age.has_estimate_min_years() ? "estimate_max_years" : "estimate_min_years";
  out.add(path(field, missing), "is required with the other bound of the estimate; give both bounds");
  return false;
}

// The bounds are in order and the single best estimate lies between them.
bool check_estimate_order(Violations& out, const std::string& field, const common::Age& age) {
  if (!has_estimate(age)) return true;
  if (age.estimate_min_years() > age.estimate_max_years()) {
    out.add(path(field, "estimate_min_years"), "is above estimate_max_years; give the lower bound first");
    return false;
  }
  if (age.has_years() && (age.years() < age.estimate_min_years() || age.years() > age.estimate_max_years())) {
    out.add(path(field, "years"), "lies outside the estimated range; give a best estimate within it");
    return false;
  }
  return true;
}

// Returns whether the figures are sound enough to compare with the band.
bool check_age_figures(Violations& out, const std::string& field, const common::Age& age) {
  bool complete = check_estimate_complete(out, field, age);
  bool years_ok = check_years_figure(out, path(field, "years"), age.has_years(), age.years());
  bool min_ok = check_years_figure(out, path(field, "estimate_min_years"), age.has_estimate_min_years(),
                                   age.estimate_min_years());
  bool max_ok = check_years_figure(out, path(field, "estimate_max_years"), age.has_estimate_max_years(),
                                   age.estimate_max_years());
  return complete && years_ok && min_ok && max_ok && check_estimate_order(out, field, age);
}

void check_age_certainty(Violations& out, const std::string& field, const common::Age& age) {
  const std::string certainty = path(field, "certainty");
  if (!check_enum<common::AgeCertainty>(out, certainty, age.certainty(), common::AgeCertainty_IsValid,
                                        Presence::kRequired)) {
    return;
  }
  if (age.certainty() == common::AGE_CERTAINTY_UNKNOWN && has_age_figure(age)) {
    out.add(certainty, "is AGE_CERTAINTY_UNKNOWN although an age or estimate is given; use AGE_CERTAINTY_ESTIMATED "
                       "or STATED, or remove the figures");
  }
}

// A presumed minor is never rejected for an age or band that disagrees. The presumption exists
// because the stated or documented age is doubted: children are told to say they are adults and
// are given adult documents. Rejecting the registration would delay child protection, which must be
// contacted without waiting (REFERENCE §0, §4). presumed_minor, not the band, puts the person on
// the child path; the band may stay UNSPECIFIED rather than be forced to an adult value.
void check_age_band(Violations& out, const std::string& field, const common::Age& age, bool figures_usable) {
  const std::string band = path(field, "band");
  if (!check_enum<common::AgeBand>(out, band, age.band(), common::AgeBand_IsValid, Presence::kOptional)) return;
  if (age.presumed_minor()) return;
  if (age.band() == common::AGE_BAND_UNKNOWN && has_age_figure(age)) {
    return out.add(band, "is AGE_BAND_UNKNOWN although an age or estimate is given; use the band containing it");
  }
  std::optional<YearsRange> band_range = band_years(age.band());
  if (band_range && figures_usable && has_age_figure(age) && !overlaps(*band_range, recorded_years(age))) {
    out.add(band, "does not contain the age or overlap the estimate; use the matching HTCDS band or leave it "
                  "unspecified");
  }
}

void check_age(Violations& out, const std::string& field, const common::Age& age) {
  bool figures_usable = check_age_figures(out, field, age);
  check_age_certainty(out, field, age);
  check_age_band(out, field, age, figures_usable);
}

void check_additional_nationalities(Violations& out, const std::string& field, const common::Nationality& nationality) {
  std::set<std::string_view> seen = {nationality.country_code()};
  check_entries(out, field, nationality.additional_country_codes(), kMaxAdditionalNationalities,
                [&](const std::string& entry, const std::string& code) {
                  if (!is_country_code(code)) {
                    check_country_code(out, entry, code, Presence::kRequired);
                  } else if (!seen.insert(code).second) {
                    out.add(entry, "repeats a nationality listed before; list each country once");
                  }
                });
}

void check_nationality(Violations& out, const std::string& field, const common::Nationality& nationality,
                       Presence status_presence) {
  const std::string status = path(field, "status");
  const std::string code = path(field, "country_code");
  const std::string additional = path(field, "additional_country_codes");
  bool has_codes = !nationality.country_code().empty() || !nationality.additional_country_codes().empty();
  if (nationality.status() == common::NATIONALITY_STATUS_UNSPECIFIED && has_codes) {
    return out.add(status, "is required when a country code is given; use NATIONALITY_STATUS_KNOWN");
  }
  if (!check_enum<common::NationalityStatus>(out, status, nationality.status(), common::NationalityStatus_IsValid,
                                             status_presence)) {
    return;
  }
  if (nationality.status() == common::NATIONALITY_STATUS_KNOWN) {
    check_country_code(out, code, nationality.country_code(), Presence::kRequired);
    check_additional_nationalities(out, additional, nationality);
    return;
  }
  // Unknown and stateless are answers in their own right; a code next to them would contradict
  // them and travel in clear as if it were known.
  const std::string must_be_empty = "must be empty when the status is UNKNOWN or STATELESS; use KNOWN to record a "
                                    "nationality";
  if (!nationality.country_code().empty()) out.add(code, must_be_empty);
  if (!nationality.additional_country_codes().empty()) out.add(additional, must_be_empty);
}

void check_identifier(Violations& out, const std::string& field, const common::PersonalIdentifier& identifier) {
  check_enum<common::PersonalIdentifierType>(out, path(field, "type"), identifier.type(),
                                             common::PersonalIdentifierType_IsValid, Presence::kRequired);
  check_text(out, path(field, "value"), identifier.value(), Presence::kRequired, kIdentifierValueText);
  check_country_code(out, path(field, "issuing_country"), identifier.issuing_country(), Presence::kOptional);
}

void check_contact(Violations& out, const std::string& field, const v1::ContactDetail& contact) {
  check_enum<v1::ContactChannelType>(out, path(field, "type"), contact.type(), v1::ContactChannelType_IsValid,
                                     Presence::kRequired);
  check_text(out, path(field, "value"), contact.value(), Presence::kRequired, kContactText);
  check_text(out, path(field, "label"), contact.label(), Presence::kOptional, kContactText);
}

struct PersonRequirements {
  Presence companion_status;
  Presence nationality_status;
};

void check_person(Violations& out, const std::string& field, const v1::Person& person, PersonRequirements required,
                  Clock::time_point now) {
  check_text(out, path(field, "given_name"), person.given_name(), Presence::kOptional, kNameText);
  check_text(out, path(field, "family_name"), person.family_name(), Presence::kOptional, kNameText);
  check_entries(out, path(field, "other_names"), person.other_names(), kMaxOtherNames,
                [&](const std::string& entry, const std::string& name) {
                  check_text(out, entry, name, Presence::kRequired, kNameText);
                });
  check_date_of_birth(out, path(field, "date_of_birth"), person.date_of_birth(), now);
  check_text(out, path(field, "place_of_birth"), person.place_of_birth(), Presence::kOptional, kNameText);
  check_age(out, path(field, "age"), person.age());
  check_enum<common::Gender>(out, path(field, "gender"), person.gender(), common::Gender_IsValid, Presence::kOptional);
  check_nationality(out, path(field, "nationality"), person.nationality(), required.nationality_status);
  check_entries(out, path(field, "languages"), person.languages(), kMaxLanguages,
                [&](const std::string& entry, const std::string& code) { check_spoken_language(out, entry, code); });
  check_enum<common::CompanionStatus>(out, path(field, "companion_status"), person.companion_status(),
                                      common::CompanionStatus_IsValid, required.companion_status);
  check_entries(out, path(field, "identifiers"), person.identifiers(), kMaxIdentifiers,
                [&](const std::string& entry, const auto& identifier) { check_identifier(out, entry, identifier); });
  check_entries(out, path(field, "contacts"), person.contacts(), kMaxContacts,
                [&](const std::string& entry, const auto& contact) { check_contact(out, entry, contact); });
}

// ---------------------------------------------------------------------------------------------
// Reporter, place, needs, destination.
// ---------------------------------------------------------------------------------------------

void check_site(Violations& out, const std::string& field, const common::SiteRef& site, Presence municipality) {
  check_token(out, path(field, "site_id"), site.site_id(), Presence::kRequired);
  check_text(out, path(field, "municipality"), site.municipality(), municipality, kNameText);
  check_hub_jurisdiction(out, path(field, "jurisdiction"), site.jurisdiction(), Presence::kOptional);
}

void check_reporter(Violations& out, const std::string& field, const v1::Reporter& reporter,
                    const SectorRequirements& required) {
  check_enum<common::Sector>(out, path(field, "sector"), reporter.sector(), common::Sector_IsValid,
                             Presence::kRequired);
  check_token(out, path(field, "organization_id"), reporter.organization_id(), Presence::kRequired);
  check_hub_jurisdiction(out, path(field, "jurisdiction"), reporter.jurisdiction(), Presence::kRequired);
  check_site(out, path(field, "site"), reporter.site(), required.site_municipality);
  check_token(out, path(field, "subject"), reporter.subject(), Presence::kOptional);
  check_text(out, path(field, "display_name"), reporter.display_name(), Presence::kOptional, kNameText);
  check_text(out, path(field, "contact"), reporter.contact(), Presence::kOptional, kContactText);
}

void check_coordinate(Violations& out, const std::string& field, double degrees, double limit) {
  if (!std::isfinite(degrees) || std::fabs(degrees) > limit) {
    out.add(field, "is out of range; give WGS 84 degrees between -" + std::to_string(static_cast<int>(limit)) +
                       " and " + std::to_string(static_cast<int>(limit)));
  }
}

void check_exact_location(Violations& out, const std::string& field, const common::ExactLocation& location) {
  check_text(out, path(field, "description"), location.description(), Presence::kOptional, kDetailsText);
  if (location.has_latitude() != location.has_longitude()) {
    const char* missing = location.has_latitude() ? "longitude" : "latitude";
    return out.add(path(field, missing), "is required with the other coordinate; give both or neither");
  }
  if (location.has_latitude()) check_coordinate(out, path(field, "latitude"), location.latitude(), 90.0);
  if (location.has_longitude()) check_coordinate(out, path(field, "longitude"), location.longitude(), 180.0);
}

void check_context(Violations& out, const std::string& field, const v1::EmergencyContext& context) {
  check_token(out, path(field, "emergency_id"), context.emergency_id(), Presence::kOptional);
  if (context.has_site()) check_site(out, path(field, "site"), context.site(), Presence::kOptional);
  if (context.has_exact_location()) check_exact_location(out, path(field, "exact_location"), context.exact_location());
}

void check_destination_country(Violations& out, const std::string& field, const v1::NextDestination& destination) {
  if (destination.jurisdiction() == common::JURISDICTION_OTHER) {
    if (is_marri_country(destination.country_code())) {
      return out.add(field, "names a MARRI participant; use its jurisdiction value instead of OTHER");
    }
    return check_country_code(out, field, destination.country_code(), Presence::kRequired);
  }
  std::optional<std::string_view> expected = country_code_of(destination.jurisdiction());
  if (!destination.country_code().empty() && expected && destination.country_code() != *expected) {
    out.add(field, "contradicts the jurisdiction; leave it empty unless the jurisdiction is OTHER");
  }
}

void check_next_destination(Violations& out, const std::string& field, const v1::NextDestination& destination) {
  const std::string jurisdiction = path(field, "jurisdiction");
  if (check_enum<common::Jurisdiction>(out, jurisdiction, destination.jurisdiction(), common::Jurisdiction_IsValid,
                                       Presence::kRequired)) {
    check_destination_country(out, path(field, "country_code"), destination);
  }
  check_text(out, path(field, "details"), destination.details(), Presence::kOptional, kDetailsText);
  check_timestamp(out, path(field, "expected_departure_at"), destination.has_expected_departure_at(),
                  destination.expected_departure_at(), Presence::kOptional);
}

void check_need(Violations& out, const std::string& field, const v1::Need& need, std::set<int>& seen_types) {
  const std::string type = path(field, "type");
  if (check_enum<common::NeedType>(out, type, need.type(), common::NeedType_IsValid, Presence::kRequired) &&
      !seen_types.insert(need.type()).second) {
    // Routing identifies a need by (case, need type): two entries of one type would be one need.
    out.add(type, "repeats the type of a need listed before; put all details of one type in one need");
  }
  check_text(out, path(field, "details"), need.details(), Presence::kOptional, kDetailsText);
}

using NeedList = google::protobuf::RepeatedPtrField<v1::Need>;

void check_needs(Violations& out, const std::string& field, const NeedList& needs) {
  std::set<int> seen_types;
  check_entries(out, field, needs, kMaxNeeds,
                [&](const std::string& entry, const v1::Need& need) { check_need(out, entry, need, seen_types); });
}

std::set<int> types_of(const NeedList& needs) {
  std::set<int> types;
  for (const v1::Need& need : needs) types.insert(need.type());
  return types;
}

// ---------------------------------------------------------------------------------------------
// Consent.
// ---------------------------------------------------------------------------------------------

void check_actor(Violations& out, const std::string& field, const common::Actor& actor, Presence display_name) {
  check_token(out, path(field, "subject"), actor.subject(), Presence::kOptional);
  check_text(out, path(field, "display_name"), actor.display_name(), display_name, kNameText);
  check_token(out, path(field, "organization_id"), actor.organization_id(), Presence::kOptional);
  check_token(out, path(field, "role"), actor.role(), Presence::kOptional, kMaxRoleBytes);
}

using ScopeList = google::protobuf::RepeatedField<int>;

// `agreed` holds the scopes agreed to in the same record, when checking the declined ones.
void check_scope_list(Violations& out, const std::string& field, const ScopeList& scopes,
                      const std::set<int>& agreed = {}) {
  check_entries(out, field, scopes, kMaxConsentScopes, [&](const std::string& entry, int scope) {
    if (check_enum<common::ConsentScope>(out, entry, scope, common::ConsentScope_IsValid, Presence::kRequired) &&
        agreed.count(scope) > 0) {
      out.add(entry, "is also among the agreed scopes; a scope is either agreed or declined");
    }
  });
}

void check_scopes(Violations& out, const std::string& field, const common::Consent& consent) {
  const std::string scopes = path(field, "scopes");
  // A record with only declined scopes is a refusal and is worth keeping, so nobody acts as if the
  // person was never asked; a record naming no scope at all says nothing.
  if (consent.scopes().empty() && consent.declined_scopes().empty()) {
    return out.add(scopes, "is empty; name the scopes agreed to (or declined_scopes, to record a refusal)");
  }
  check_scope_list(out, scopes, consent.scopes());
  check_scope_list(out, path(field, "declined_scopes"), consent.declined_scopes(), values_of<int>(consent.scopes()));
}

// The guardian or legal representative who consents for someone is named, so the consent can be
// traced to a person accountable for it. The person's own consent carries no third name.
void check_giver(Violations& out, const std::string& field, const common::Consent& consent) {
  const std::string giver_name = path(field, "giver_name");
  if (!check_enum<common::ConsentGiver>(out, path(field, "given_by"), consent.given_by(),
                                        common::ConsentGiver_IsValid, Presence::kRequired)) {
    return;
  }
  if (consent.given_by() == common::CONSENT_GIVER_PERSON) {
    if (!consent.giver_name().empty()) out.add(giver_name, "must be empty when the person consents themself");
    return;
  }
  if (consent.giver_name().empty()) {
    return out.add(giver_name, "is required when a guardian or legal representative consents; give their name");
  }
  check_text(out, giver_name, consent.giver_name(), Presence::kRequired, kNameText);
}

// A consent is recorded as given; withdrawing it is WithdrawConsent's business.
void check_not_withdrawn(Violations& out, const std::string& field, const common::Consent& consent) {
  const std::string record_as_given = "must not be set when recording a consent; withdraw it with WithdrawConsent";
  if (consent.withdrawn()) out.add(path(field, "withdrawn"), record_as_given);
  if (consent.has_withdrawn_at()) out.add(path(field, "withdrawn_at"), record_as_given);
  if (consent.has_withdrawn_recorded_by()) out.add(path(field, "withdrawn_recorded_by"), record_as_given);
}

void check_given_consent(Violations& out, const std::string& field, const common::Consent& consent,
                         Presence recorder_name, Clock::time_point now) {
  check_token(out, path(field, "consent_id"), consent.consent_id(), Presence::kOptional);
  check_scopes(out, field, consent);
  check_giver(out, field, consent);
  check_enum<common::ConsentMethod>(out, path(field, "method"), consent.method(), common::ConsentMethod_IsValid,
                                    Presence::kRequired);
  // Consent is informed: the record says in which language the scopes were explained.
  check_language_tag(out, path(field, "informed_in_language"), consent.informed_in_language(), Presence::kRequired);
  check_actor(out, path(field, "recorded_by"), consent.recorded_by(), recorder_name);
  check_past_timestamp(out, path(field, "given_at"), consent.has_given_at(), consent.given_at(), Presence::kRequired,
                       now);
  check_not_withdrawn(out, field, consent);
}

// ---------------------------------------------------------------------------------------------
// Requests.
// ---------------------------------------------------------------------------------------------

void check_encounter(Violations& out, const std::string& field, const v1::Encounter& encounter, Clock::time_point now) {
  const SectorRequirements& required = requirements_of(encounter.reporter().sector());
  check_reporter(out, path(field, "reporter"), encounter.reporter(), required);
  if (encounter.has_person()) {
    check_person(out, path(field, "person"), encounter.person(),
                 {required.companion_status, required.nationality_status}, now);
  } else {
    out.add(path(field, "person"), "is required; record at least the age certainty");
  }
  check_indicator_ids(out, path(field, "observed_indicator_ids"), encounter.observed_indicator_ids());
  check_needs(out, path(field, "needs"), encounter.needs());
  // At registration the reporter recorded the consent: the service names them as recorded_by.
  if (encounter.has_consent()) {
    check_given_consent(out, path(field, "consent"), encounter.consent(), Presence::kOptional, now);
  }
  if (encounter.has_context()) check_context(out, path(field, "context"), encounter.context());
  if (encounter.has_next_destination()) {
    check_next_destination(out, path(field, "next_destination"), encounter.next_destination());
  }
  check_text(out, path(field, "notes"), encounter.notes(), Presence::kOptional, kNotesText);
  check_past_timestamp(out, path(field, "encountered_at"), encounter.has_encountered_at(), encounter.encountered_at(),
                       Presence::kRequired, now);
}

void check_handoff_origin(Violations& out, const std::string& field, const v1::HandoffOrigin& origin,
                          std::string_view idempotency_key) {
  const std::string handoff_id = path(field, "handoff_id");
  // The handoff id is the registration's idempotency key, so a handoff delivered twice is one case.
  bool well_formed = check_token(out, handoff_id, origin.handoff_id(), Presence::kRequired);
  if (well_formed && origin.handoff_id() != idempotency_key) {
    out.add(handoff_id, "must equal idempotency_key; register a handed-over case with the handoff id as key");
  }
  check_token(out, path(field, "sending_hub"), origin.sending_hub(), Presence::kRequired);
  check_hub_jurisdiction(out, path(field, "sending_jurisdiction"), origin.sending_jurisdiction(), Presence::kRequired);
  check_token(out, path(field, "sending_case_id"), origin.sending_case_id(), Presence::kRequired);
}

bool changes_nothing(const v1::CaseAmendment& amendment) {
  return !amendment.has_person() && amendment.added_observed_indicator_ids().empty() &&
         amendment.retracted_observed_indicator_ids().empty() && amendment.added_needs().empty() &&
         amendment.resolved_needs().empty() && !amendment.has_context() && !amendment.has_next_destination() &&
         !amendment.has_reported_flags() && amendment.note().empty() &&
         amendment.status() == v1::CASE_STATUS_UNSPECIFIED;
}

void check_case_status_change(Violations& out, const std::string& field, int status) {
  if (!check_enum<v1::CaseStatus>(out, field, status, v1::CaseStatus_IsValid, Presence::kOptional)) return;
  if (status == v1::CASE_STATUS_ERASED) {
    out.add(field, "cannot be set by an amendment; use CASE_STATUS_OPEN or CLOSED, and EraseCase to erase");
  }
}

void check_resolved_needs(Violations& out, const std::string& field, const v1::CaseAmendment& amendment) {
  std::set<int> added_types = types_of(amendment.added_needs());
  check_entries(out, field, amendment.resolved_needs(), kMaxNeeds, [&](const std::string& entry, int type) {
    if (check_enum<common::NeedType>(out, entry, type, common::NeedType_IsValid, Presence::kRequired) &&
        added_types.count(type) > 0) {
      out.add(entry, "is also among added_needs; a need is either added or resolved in one amendment");
    }
  });
}

void check_amendment(Violations& out, const std::string& field, const v1::CaseAmendment& amendment,
                     Clock::time_point now) {
  if (changes_nothing(amendment)) return out.add(field, "changes nothing; set at least one part to change");
  // The sector's extra requirements are checked at registration only: the amendment does not
  // carry the sector, and a correction must never be blocked by a field a colleague left open.
  if (amendment.has_person()) {
    check_person(out, path(field, "person"), amendment.person(), {Presence::kOptional, Presence::kOptional}, now);
  }
  check_indicator_ids(out, path(field, "added_observed_indicator_ids"), amendment.added_observed_indicator_ids(),
                      values_of<std::string>(amendment.retracted_observed_indicator_ids()));
  check_indicator_ids(out, path(field, "retracted_observed_indicator_ids"),
                      amendment.retracted_observed_indicator_ids());
  check_needs(out, path(field, "added_needs"), amendment.added_needs());
  check_resolved_needs(out, path(field, "resolved_needs"), amendment);
  if (amendment.has_context()) check_context(out, path(field, "context"), amendment.context());
  if (amendment.has_next_destination()) {
    check_next_destination(out, path(field, "next_destination"), amendment.next_destination());
  }
  check_text(out, path(field, "note"), amendment.note(), Presence::kOptional, kNotesText);
  check_case_status_change(out, path(field, "status"), amendment.status());
}

}  // namespace

bool is_well_formed_indicator_id(std::string_view id) {
  auto is_id_char = [](char c) { return is_upper(c) || is_digit(c) || c == '-'; };
  return id.size() >= kMinIndicatorIdLength && id.size() <= kMaxIndicatorIdLength && is_upper(id.front()) &&
         std::all_of(id.begin(), id.end(), is_id_char);
}

std::vector<rpc::FieldViolation> validate_registration(const v1::RegisterEncounterRequest& request,
                                                       Clock::time_point now) {
  Violations out;
  check_idempotency_key(out, "idempotency_key", request.idempotency_key());
  if (request.has_encounter()) {
    check_encounter(out, "encounter", request.encounter(), now);
  } else {
    out.add("encounter", "is required");
  }
  if (request.has_handoff_origin()) {
    check_handoff_origin(out, "handoff_origin", request.handoff_origin(), request.idempotency_key());
  }
  check_language_tag(out, "language", request.language(), Presence::kOptional);
  return out.release();
}

std::vector<rpc::FieldViolation> validate_amendment(const v1::AmendCaseRequest& request, Clock::time_point now) {
  Violations out;
  check_token(out, "case_id", request.case_id(), Presence::kRequired);
  check_idempotency_key(out, "idempotency_key", request.idempotency_key());
  if (request.has_amendment()) {
    check_amendment(out, "amendment", request.amendment(), now);
  } else {
    out.add("amendment", "is required");
  }
  check_language_tag(out, "language", request.language(), Presence::kOptional);
  return out.release();
}

std::vector<rpc::FieldViolation> validate_consent(const v1::RecordConsentRequest& request, Clock::time_point now) {
  Violations out;
  check_token(out, "case_id", request.case_id(), Presence::kRequired);
  check_idempotency_key(out, "idempotency_key", request.idempotency_key());
  if (request.has_consent()) {
    // Recorded after the encounter, possibly by someone else: the professional accountable for it
    // is named on the record.
    check_given_consent(out, "consent", request.consent(), Presence::kRequired, now);
  } else {
    out.add("consent", "is required");
  }
  return out.release();
}

std::vector<rpc::FieldViolation> validate_withdrawal(const v1::WithdrawConsentRequest& request) {
  Violations out;
  check_token(out, "case_id", request.case_id(), Presence::kRequired);
  check_idempotency_key(out, "idempotency_key", request.idempotency_key());
  check_scope_list(out, "scopes", request.scopes());
  check_enum<common::ConsentGiver>(out, "withdrawn_by", request.withdrawn_by(), common::ConsentGiver_IsValid,
                                   Presence::kRequired);
  check_text(out, "note", request.note(), Presence::kOptional, kNotesText);
  return out.release();
}

}  // namespace pact::intake
