#include "cap_alert.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>

namespace pact::situation {

// ---------------------------------------------------------------------------------------------
// Enumerations

std::string_view to_string(CapStatus value) {
  switch (value) {
    case CapStatus::Actual: return "Actual";
    case CapStatus::Exercise: return "Exercise";
    case CapStatus::System: return "System";
    case CapStatus::Test: return "Test";
    case CapStatus::Draft: return "Draft";
  }
  throw std::invalid_argument("CAP status: value out of range");
}

std::string_view to_string(CapMsgType value) {
  switch (value) {
    case CapMsgType::Alert: return "Alert";
    case CapMsgType::Update: return "Update";
    case CapMsgType::Cancel: return "Cancel";
  }
  throw std::invalid_argument("CAP msgType: value out of range");
}

std::string_view to_string(CapCategory value) {
  switch (value) {
    case CapCategory::Geo: return "Geo";
    case CapCategory::Met: return "Met";
    case CapCategory::Safety: return "Safety";
    case CapCategory::Security: return "Security";
    case CapCategory::Rescue: return "Rescue";
    case CapCategory::Fire: return "Fire";
    case CapCategory::Health: return "Health";
    case CapCategory::Env: return "Env";
    case CapCategory::Transport: return "Transport";
    case CapCategory::Infra: return "Infra";
    case CapCategory::CBRNE: return "CBRNE";
    case CapCategory::Other: return "Other";
  }
  throw std::invalid_argument("CAP category: value out of range");
}

std::string_view to_string(CapResponseType value) {
  switch (value) {
    case CapResponseType::Shelter: return "Shelter";
    case CapResponseType::Evacuate: return "Evacuate";
    case CapResponseType::Prepare: return "Prepare";
    case CapResponseType::Execute: return "Execute";
    case CapResponseType::Avoid: return "Avoid";
    case CapResponseType::Monitor: return "Monitor";
    case CapResponseType::Assess: return "Assess";
    case CapResponseType::AllClear: return "AllClear";
    case CapResponseType::None: return "None";
  }
  throw std::invalid_argument("CAP responseType: value out of range");
}

std::string_view to_string(CapUrgency value) {
  switch (value) {
    case CapUrgency::Immediate: return "Immediate";
    case CapUrgency::Expected: return "Expected";
    case CapUrgency::Future: return "Future";
    case CapUrgency::Past: return "Past";
    case CapUrgency::Unknown: return "Unknown";
  }
  throw std::invalid_argument("CAP urgency: value out of range");
}

std::string_view to_string(CapSeverity value) {
  switch (value) {
    case CapSeverity::Extreme: return "Extreme";
    case CapSeverity::Severe: return "Severe";
    case CapSeverity::Moderate: return "Moderate";
    case CapSeverity::Minor: return "Minor";
    case CapSeverity::Unknown: return "Unknown";
  }
  throw std::invalid_argument("CAP severity: value out of range");
}

std::string_view to_string(CapCertainty value) {
  switch (value) {
    case CapCertainty::Observed: return "Observed";
    case CapCertainty::Likely: return "Likely";
    case CapCertainty::Possible: return "Possible";
    case CapCertainty::Unlikely: return "Unlikely";
    case CapCertainty::Unknown: return "Unknown";
  }
  throw std::invalid_argument("CAP certainty: value out of range");
}

namespace {

// ---------------------------------------------------------------------------------------------
// Characters (the only code the renderer and the checker share)

// One code point from UTF-8 `text` at `pos`, advancing `pos`; nullopt for anything that is not
// strict UTF-8 (stray continuation bytes, truncated sequences, overlong forms, surrogates, values
// above U+10FFFF), which an XML parser would refuse as a document encoded in UTF-8.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte_at = [text](std::size_t index) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[index])); };
  const std::uint32_t lead = byte_at(pos);
  if (lead < 0x80U) {
    ++pos;
    return static_cast<char32_t>(lead);
  }
  std::size_t length = 0;
  std::uint32_t value = 0;
  std::uint32_t smallest = 0;  // below this the sequence is an overlong form
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    value = lead & 0x1FU;
    smallest = 0x80U;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    value = lead & 0x0FU;
    smallest = 0x800U;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    value = lead & 0x07U;
    smallest = 0x10000U;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint32_t continuation = byte_at(pos + i);
    if ((continuation & 0xC0U) != 0x80U) return std::nullopt;
    value = (value << 6U) | (continuation & 0x3FU);
  }
  if (value < smallest || value > 0x10FFFFU || (value >= 0xD800U && value <= 0xDFFFU)) return std::nullopt;
  pos += length;
  return static_cast<char32_t>(value);
}

// XML 1.0's Char production: what may appear in a document at all.
bool is_xml_char(char32_t c) {
  return c == U'\t' || c == U'\n' || c == U'\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Control characters a CAP text must not carry even where XML would allow them: DEL and the C1
// range (legal XML, but they garble consoles and SMS gateways). Tab and line feed are layout.
bool is_discouraged_control(char32_t c) { return c == 0x7F || (c >= 0x80 && c <= 0x9F); }

std::string code_point_name(char32_t c) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string digits;
  auto value = static_cast<std::uint32_t>(c);
  do {
    digits.insert(digits.begin(), kHex[value % 16U]);
    value /= 16U;
  } while (value != 0U);
  while (digits.size() < 4) digits.insert(digits.begin(), '0');
  return "U+" + digits;
}

void append_utf8(std::string& out, char32_t c) {
  const auto value = static_cast<std::uint32_t>(c);
  const auto put = [&out](std::uint32_t byte) { out.push_back(static_cast<char>(static_cast<unsigned char>(byte))); };
  if (value < 0x80U) {
    put(value);
  } else if (value < 0x800U) {
    put(0xC0U | (value >> 6U));
    put(0x80U | (value & 0x3FU));
  } else if (value < 0x10000U) {
    put(0xE0U | (value >> 12U));
    put(0x80U | ((value >> 6U) & 0x3FU));
    put(0x80U | (value & 0x3FU));
  } else {
    put(0xF0U | (value >> 18U));
    put(0x80U | ((value >> 12U) & 0x3FU));
    put(0x80U | ((value >> 6U) & 0x3FU));
    put(0x80U | (value & 0x3FU));
  }
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_blank(std::string_view text) { return std::all_of(text.begin(), text.end(), is_ascii_space); }

// xs:dateTime and xs:language values are whitespace-collapsed before their pattern is applied.
std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

// xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*
bool is_language_tag(std::string_view tag) {
  bool first = true;
  while (true) {
    const std::size_t dash = tag.find('-');
    const std::string_view part = tag.substr(0, dash);
    if (part.empty() || part.size() > 8) return false;
    for (const char c : part) {
      if (!(is_ascii_letter(c) || (!first && is_ascii_digit(c)))) return false;
    }
    if (dash == std::string_view::npos) return true;
    tag.remove_prefix(dash + 1);
    first = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

// CAP 1.2 §3.3.2: "The timezone for UTC MUST be represented as -00:00".
constexpr std::string_view kUtcOffset = "-00:00";

[[noreturn]] void refuse(std::string_view field, std::string_view why) {
  throw std::invalid_argument("CAP message: " + std::string(field) + " " + std::string(why));
}

// Free text: strict UTF-8, no control characters. Tab and line feed are allowed; carriage return
// is not, because every XML parser turns it into a line feed (the text would not round-trip).
void require_text(std::string_view field, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<char32_t> c = next_code_point(text, pos);
    if (!c) refuse(field, "is not valid UTF-8");
    if (*c == U'\t' || *c == U'\n') continue;
    if (*c < 0x20 || is_discouraged_control(*c) || !is_xml_char(*c)) {
      refuse(field, "contains the control character " + code_point_name(*c));
    }
  }
}

void require_not_blank(std::string_view field, std::string_view text) {
  if (is_blank(text)) refuse(field, "is empty");
  require_text(field, text);
}

// identifier and sender (and the two in each reference): CAP 1.2 §3.2.1 forbids spaces, commas
// and the restricted characters '<' and '&'; <references> would be ambiguous otherwise.
void require_token(std::string_view field, std::string_view text) {
  if (text.empty()) refuse(field, "is empty");
  require_text(field, text);
  for (const char c : text) {
    if (is_ascii_space(c) || c == ',' || c == '<' || c == '&') {
      const std::string_view what = c == ',' ? "a comma" : c == '<' ? "'<'" : c == '&' ? "'&'" : "white space";
      refuse(field, "contains " + std::string(what) + "; CAP 1.2 forbids spaces, commas, '<' and '&' in identifiers and senders");
    }
  }
}

// <web> is an absolute URI (CAP 1.2: "A full, absolute URI").
void require_absolute_uri(std::string_view field, std::string_view uri) {
  require_text(field, uri);
  const std::size_t colon = uri.find(':');
  bool scheme_ok = colon != std::string_view::npos && colon > 0 && colon + 1 < uri.size() && is_ascii_letter(uri[0]);
  for (std::size_t i = 1; scheme_ok && i < colon; ++i) {
    const char c = uri[i];
    scheme_ok = is_ascii_letter(c) || is_ascii_digit(c) || c == '+' || c == '-' || c == '.';
  }
  if (!scheme_ok) refuse(field, "is not an absolute URI (scheme:...)");
  for (const char c : uri) {
    if (is_ascii_space(c) || c == '<' || c == '>' || c == '"') refuse(field, "contains a character a URI cannot hold unescaped");
  }
}

void append_digits(std::string& out, std::uint32_t value, std::size_t width) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10U)));
    value /= 10U;
  } while (value != 0U);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c; break;
    }
  }
}

// Writes one element per line, indented, text escaped. Values are checked before they get here.
class CapWriter {
 public:
  CapWriter() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

  void open_root() {
    out_ += "<alert xmlns=\"";
    append_escaped(out_, kCapNamespace);
    out_ += "\">\n";
    ++depth_;
  }
  void open(std::string_view name) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void leaf(std::string_view name, std::string_view text) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    append_escaped(out_, text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  // CAP's optional text elements: an empty value means "not given", not an empty element.
  void leaf_if_set(std::string_view name, std::string_view text) {
    if (!text.empty()) leaf(name, text);
  }
  void named_value(std::string_view name, const CapNamedValue& pair) {
    open(name);
    leaf("valueName", pair.value_name);
    leaf("value", pair.value);
    close(name);
  }
  std::string take() { return std::move(out_); }

 private:
  void indent() { out_.append(2 * depth_, ' '); }

  std::string out_;
  std::size_t depth_ = 0;
};

void check_named_values(std::string_view field, const std::vector<CapNamedValue>& pairs) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string prefix = std::string(field) + "[" + std::to_string(i) + "]";
    require_not_blank(prefix + ".value_name", pairs[i].value_name);
    require_text(prefix + ".value", pairs[i].value);
  }
}

// Everything render_cap_xml refuses, checked before a single byte is written.
void check_message(const CapMessage& message) {
  require_token("identifier", message.identifier);
  require_token("sender", message.sender);
  require_not_blank("restriction (scope is Restricted)", message.restriction);
  if (message.note) require_not_blank("note", *message.note);

  if (message.msg_type != CapMsgType::Alert && message.references.empty()) {
    refuse("references", "is empty; a message of type " + std::string(to_string(message.msg_type)) +
                             " must name the earlier message(s) it supersedes");
  }
  for (std::size_t i = 0; i < message.references.size(); ++i) {
    const CapReference& reference = message.references[i];
    const std::string field = "references[" + std::to_string(i) + "]";
    require_token(field + ".sender", reference.sender);
    require_token(field + ".identifier", reference.identifier);
    if (reference.sender == message.sender && reference.identifier == message.identifier) {
      refuse(field, "names this message itself; every CAP message needs an identifier of its own");
    }
  }

  const CapInfo& info = message.info;
  if (!is_language_tag(info.language)) refuse("info.language", "is not a language tag (xs:language, e.g. \"en\", \"sr-Latn\")");
  if (info.categories.empty()) refuse("info.categories", "is empty; CAP requires at least one category");
  require_not_blank("info.event", info.event);
  require_text("info.sender_name", info.sender_name);
  require_text("info.headline", info.headline);
  require_text("info.description", info.description);
  require_text("info.instruction", info.instruction);
  if (info.web) {
    if (info.web->empty()) refuse("info.web", "is empty (leave it unset instead)");
    require_absolute_uri("info.web", *info.web);
  }
  check_named_values("info.parameters", info.parameters);
  for (std::size_t i = 0; i < info.areas.size(); ++i) {
    const std::string field = "info.areas[" + std::to_string(i) + "]";
    require_not_blank(field + ".area_desc", info.areas[i].area_desc);
    check_named_values(field + ".geocodes", info.areas[i].geocodes);
  }
}

}  // namespace

std::string format_cap_time(std::chrono::system_clock::time_point time) {
  using std::chrono::days;
  using std::chrono::seconds;
  // CAP's pattern has no fractional seconds: drop them (floor, so a time never moves forward).
  const auto whole = std::chrono::floor<seconds>(time);
  const auto midnight = std::chrono::floor<days>(whole);
  const std::chrono::year_month_day date{midnight};
  const std::chrono::hh_mm_ss<seconds> clock{whole - midnight};
  const int year = static_cast<int>(date.year());
  if (year < 1 || year > 9999) {
    throw std::invalid_argument("CAP time: year outside 0001..9999, which CAP's four-digit form cannot hold");
  }
  std::string out;
  append_digits(out, static_cast<std::uint32_t>(year), 4);
  out += '-';
  append_digits(out, static_cast<std::uint32_t>(static_cast<unsigned>(date.month())), 2);
  out += '-';
  append_digits(out, static_cast<std::uint32_t>(static_cast<unsigned>(date.day())), 2);
  out += 'T';
  append_digits(out, static_cast<std::uint32_t>(clock.hours().count()), 2);
  out += ':';
  append_digits(out, static_cast<std::uint32_t>(clock.minutes().count()), 2);
  out += ':';
  append_digits(out, static_cast<std::uint32_t>(clock.seconds().count()), 2);
  out += kUtcOffset;
  return out;
}

std::string render_cap_xml(const CapMessage& message) {
  check_message(message);
  const CapInfo& info = message.info;

  // The element order below is the order of the CAP 1.2 XSD's sequences; do not reorder.
  CapWriter writer;
  writer.open_root();
  writer.leaf("identifier", message.identifier);
  writer.leaf("sender", message.sender);
  writer.leaf("sent", format_cap_time(message.sent));
  writer.leaf("status", to_string(message.status));
  writer.leaf("msgType", to_string(message.msg_type));
  writer.leaf("scope", "Restricted");
  writer.leaf("restriction", message.restriction);
  if (message.note) writer.leaf("note", *message.note);
  if (!message.references.empty()) {
    std::string references;
    for (const CapReference& reference : message.references) {
      if (!references.empty()) references += ' ';
      references += reference.sender + ',' + reference.identifier + ',' + format_cap_time(reference.sent);
    }
    writer.leaf("references", references);
  }

  writer.open("info");
  writer.leaf("language", info.language);
  for (const CapCategory category : info.categories) writer.leaf("category", to_string(category));
  writer.leaf("event", info.event);
  for (const CapResponseType response : info.response_types) writer.leaf("responseType", to_string(response));
  writer.leaf("urgency", to_string(info.urgency));
  writer.leaf("severity", to_string(info.severity));
  writer.leaf("certainty", to_string(info.certainty));
  if (info.effective) writer.leaf("effective", format_cap_time(*info.effective));
  if (info.onset) writer.leaf("onset", format_cap_time(*info.onset));
  if (info.expires) writer.leaf("expires", format_cap_time(*info.expires));
  writer.leaf_if_set("senderName", info.sender_name);
  writer.leaf_if_set("headline", info.headline);
  writer.leaf_if_set("description", info.description);
  writer.leaf_if_set("instruction", info.instruction);
  if (info.web) writer.leaf("web", *info.web);
  for (const CapNamedValue& parameter : info.parameters) writer.named_value("parameter", parameter);
  for (const CapArea& area : info.areas) {
    writer.open("area");
    writer.leaf("areaDesc", area.area_desc);
    for (const CapNamedValue& geocode : area.geocodes) writer.named_value("geocode", geocode);
    writer.close("area");
  }
  writer.close("info");
  writer.close("alert");
  return writer.take();
}

// ---------------------------------------------------------------------------------------------
// Checking: a strict reader for the XML subset CAP uses, then the CAP 1.2 structure

namespace {

constexpr std::string_view kXmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

// CAP needs three levels below <alert>; anything deeper is not CAP, and the limit keeps the
// recursive reader's stack small whatever it is fed.
constexpr std::size_t kMaxDepth = 16;

struct XmlElement {
  std::string qualified_name;
  std::string prefix;
  std::string local_name;
  std::string namespace_uri;  // resolved after reading
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;  // all character data directly inside, references decoded, line ends normalised
  std::vector<XmlElement> children;
  std::size_t line = 0;
};

// A document the reader cannot read: the message says where and why.
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Elements, character data, the five predefined entities and character references, CDATA,
// comments, processing instructions and the XML declaration. No DTD: without one, no entity can
// expand and no default attribute can appear, which is what makes this reader safe and simple.
class XmlReader {
 public:
  explicit XmlReader(std::string_view document) : doc_(document) {}

  XmlElement read() {
    check_characters();
    if (starts_with("\xEF\xBB\xBF")) pos_ += 3;  // a UTF-8 byte order mark
    if (starts_with("<?xml") && pos_ + 5 < doc_.size() && (is_ascii_space(doc_[pos_ + 5]) || doc_[pos_ + 5] == '?')) {
      read_declaration();
    }
    skip_misc();
    if (!starts_with("<")) fail("expected the root element <alert>");
    XmlElement root = read_element(0);
    skip_misc();
    if (pos_ < doc_.size()) fail("content after the end of the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(std::string_view why) { fail_at(pos_, why); }
  [[noreturn]] void fail_at(std::size_t at, std::string_view why) {
    throw ReadError("line " + std::to_string(line_of(at)) + ": not readable as XML: " + std::string(why));
  }

  // Lines are counted lazily from the last position asked about (positions only move forward in
  // normal use; a backward question recounts from the start).
  std::size_t line_of(std::size_t at) {
    if (at < counted_pos_) {
      counted_pos_ = 0;
      counted_line_ = 1;
    }
    at = std::min(at, doc_.size());
    counted_line_ += static_cast<std::size_t>(std::count(doc_.begin() + static_cast<std::ptrdiff_t>(counted_pos_),
                                                         doc_.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    counted_pos_ = at;
    return counted_line_;
  }

  // Every byte is strict UTF-8 and every character allowed by XML 1.0, so the rest of the reader
  // can work on bytes (all markup is ASCII).
  void check_characters() {
    std::size_t pos = 0;
    while (pos < doc_.size()) {
      const std::size_t start = pos;
      const std::optional<char32_t> c = next_code_point(doc_, pos);
      if (!c) fail_at(start, "the document is not valid UTF-8");
      if (!is_xml_char(*c)) fail_at(start, "the control character " + code_point_name(*c) + " is not allowed in XML 1.0");
    }
  }

  bool starts_with(std::string_view text) const { return doc_.substr(pos_).starts_with(text); }

  void expect(std::string_view text) {
    if (!starts_with(text)) fail("expected '" + std::string(text) + "'");
    pos_ += text.size();
  }

  bool skip_spaces() {
    const std::size_t start = pos_;
    while (pos_ < doc_.size() && is_ascii_space(doc_[pos_])) ++pos_;
    return pos_ > start;
  }

  // Whitespace, comments and processing instructions: what may surround the root element.
  void skip_misc() {
    while (true) {
      skip_spaces();
      if (starts_with("<!--")) {
        skip_comment();
      } else if (starts_with("<?")) {
        skip_processing_instruction();
      } else if (starts_with("<!DOCTYPE") || starts_with("<!doctype")) {
        fail("a DTD (<!DOCTYPE ...>) is not allowed in a CAP document");
      } else {
        return;
      }
    }
  }

  void skip_comment() {
    const std::size_t start = pos_;
    pos_ += 4;
    const std::size_t dashes = doc_.find("--", pos_);
    if (dashes == std::string_view::npos) fail_at(start, "comment is not closed");
    if (dashes + 2 >= doc_.size() || doc_[dashes + 2] != '>') fail_at(dashes, "'--' inside a comment");
    pos_ = dashes + 3;
  }

  void skip_processing_instruction() {
    const std::size_t start = pos_;
    pos_ += 2;
    const std::string target = read_name();
    if (target.size() == 3 && (target[0] == 'x' || target[0] == 'X') && (target[1] == 'm' || target[1] == 'M') &&
        (target[2] == 'l' || target[2] == 'L')) {
      fail_at(start, "the XML declaration must be at the very start of the document");
    }
    const std::size_t end = doc_.find("?>", pos_);
    if (end == std::string_view::npos) fail_at(start, "processing instruction is not closed");
    pos_ = end + 2;
  }

  // <?xml version="1.0" encoding="UTF-8" standalone="yes"?>: version required, then the others
  // optional, in that order.
  void read_declaration() {
    pos_ += 5;
    std::size_t next = 0;  // index into kOrder of the first pseudo-attribute still allowed
    static constexpr std::array<std::string_view, 3> kOrder = {"version", "encoding", "standalone"};
    while (true) {
      const bool spaced = skip_spaces();
      if (starts_with("?>")) break;
      if (!spaced) fail("expected white space between the XML declaration's attributes");
      const std::size_t at = pos_;
      const std::string name = read_name();
      skip_spaces();
      expect("=");
      skip_spaces();
      const std::string value = read_quoted_raw();
      const auto found = std::find(kOrder.begin(), kOrder.end(), name);
      if (found == kOrder.end()) fail_at(at, "unexpected '" + name + "' in the XML declaration");
      const auto index = static_cast<std::size_t>(found - kOrder.begin());
      if (next == 0 && index != 0) fail_at(at, "the XML declaration must start with version");
      if (index < next) fail_at(at, "'" + name + "' repeated or out of order in the XML declaration");
      next = index + 1;
      if (name == "version" && value != "1.0") fail_at(at, "XML version must be 1.0");
      if (name == "encoding") {
        std::string upper = value;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
        if (upper != "UTF-8") fail_at(at, "encoding must be UTF-8");
      }
      if (name == "standalone" && value != "yes" && value != "no") fail_at(at, "standalone must be yes or no");
    }
    if (next == 0) fail("the XML declaration has no version");
    pos_ += 2;
  }

  std::string read_quoted_raw() {
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) fail("expected a quoted value");
    const char quote = doc_[pos_++];
    const std::size_t end = doc_.find(quote, pos_);
    if (end == std::string_view::npos) fail("quoted value is not closed");
    std::string value(doc_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return value;
  }

  // Names: ASCII letters, digits, '_', '-', '.', and any non-ASCII character (CAP's are all
  // ASCII); at most one ':' (a namespace prefix), neither first nor last.
  std::string read_name() {
    const std::size_t start = pos_;
    const auto name_start = [](char c) { return is_ascii_letter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; };
    if (pos_ >= doc_.size() || !name_start(doc_[pos_])) fail("expected a name");
    while (pos_ < doc_.size()) {
      const char c = doc_[pos_];
      if (!(name_start(c) || is_ascii_digit(c) || c == '-' || c == '.' || c == ':')) break;
      ++pos_;
    }
    const std::string_view name = doc_.substr(start, pos_ - start);
    const std::size_t colon = name.find(':');
    if (colon != std::string_view::npos &&
        (colon + 1 == name.size() || name.find(':', colon + 1) != std::string_view::npos || !name_start(name[colon + 1]))) {
      fail_at(start, "'" + std::string(name) + "' is not a valid qualified name");
    }
    return std::string(name);
  }

  // After '&': one of the five predefined entities or a character reference, appended decoded.
  void read_reference(std::string& out) {
    const std::size_t start = pos_;
    ++pos_;
    const std::size_t semicolon = doc_.find(';', pos_);
    if (semicolon == std::string_view::npos || semicolon - pos_ > 12) {
      fail_at(start, "'&' must start an entity or character reference (write &amp;)");
    }
    const std::string_view body = doc_.substr(pos_, semicolon - pos_);
    pos_ = semicolon + 1;
    if (body == "amp") { out += '&'; return; }
    if (body == "lt") { out += '<'; return; }
    if (body == "gt") { out += '>'; return; }
    if (body == "quot") { out += '"'; return; }
    if (body == "apos") { out += '\''; return; }
    if (!body.starts_with('#')) {
      fail_at(start, "undefined entity &" + std::string(body) + "; (without a DTD only the five predefined entities exist)");
    }
    const bool hex = body.size() > 1 && body[1] == 'x';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) fail_at(start, "empty character reference");
    std::uint32_t value = 0;
    for (const char c : digits) {
      std::uint32_t digit = 0;
      if (is_ascii_digit(c)) {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        fail_at(start, "malformed character reference");
      }
      value = value * (hex ? 16U : 10U) + digit;
      if (value > 0x10FFFFU) fail_at(start, "character reference beyond U+10FFFF");
    }
    const auto c = static_cast<char32_t>(value);
    if (!is_xml_char(c)) fail_at(start, "character reference to " + code_point_name(c) + ", which XML 1.0 does not allow");
    append_utf8(out, c);
  }

  // Attribute values are normalised as XML requires: references decoded, white space to spaces.
  std::string read_attribute_value() {
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) fail("expected a quoted attribute value");
    const char quote = doc_[pos_++];
    std::string value;
    while (true) {
      if (pos_ >= doc_.size()) fail("attribute value is not closed");
      const char c = doc_[pos_];
      if (c == quote) break;
      if (c == '<') fail("'<' inside an attribute value");
      if (c == '&') {
        read_reference(value);
        continue;
      }
      value += is_ascii_space(c) ? ' ' : c;
      ++pos_;
    }
    ++pos_;
    return value;
  }

  // Appends character data up to the next '<', decoding references and turning CR LF and lone
  // CR into LF as an XML processor must.
  void read_text(std::string& out) {
    while (pos_ < doc_.size() && doc_[pos_] != '<') {
      const char c = doc_[pos_];
      if (c == '&') {
        read_reference(out);
        continue;
      }
      if (c == ']' && starts_with("]]>")) fail("']]>' is not allowed in character data");
      if (c == '\r') {
        out += '\n';
        ++pos_;
        if (pos_ < doc_.size() && doc_[pos_] == '\n') ++pos_;
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  XmlElement read_element(std::size_t depth) {
    if (depth > kMaxDepth) fail("elements nested deeper than any CAP document");
    XmlElement element;
    element.line = line_of(pos_);
    expect("<");
    element.qualified_name = read_name();
    const std::size_t colon = element.qualified_name.find(':');
    if (colon == std::string::npos) {
      element.local_name = element.qualified_name;
    } else {
      element.prefix = element.qualified_name.substr(0, colon);
      element.local_name = element.qualified_name.substr(colon + 1);
    }

    while (true) {
      const bool spaced = skip_spaces();
      if (starts_with("/>")) {
        pos_ += 2;
        return element;
      }
      if (starts_with(">")) {
        ++pos_;
        break;
      }
      if (!spaced) fail("expected white space, '>' or '/>' in the start tag of <" + element.qualified_name + ">");
      const std::size_t at = pos_;
      std::string name = read_name();
      skip_spaces();
      expect("=");
      skip_spaces();
      std::string value = read_attribute_value();
      for (const auto& attribute : element.attributes) {
        if (attribute.first == name) fail_at(at, "attribute '" + name + "' appears twice");
      }
      element.attributes.emplace_back(std::move(name), std::move(value));
    }

    while (true) {
      if (pos_ >= doc_.size()) {
        fail_at(doc_.size(), "<" + element.qualified_name + "> (line " + std::to_string(element.line) + ") is not closed");
      }
      if (starts_with("</")) {
        const std::size_t at = pos_;
        pos_ += 2;
        const std::string name = read_name();
        skip_spaces();
        expect(">");
        if (name != element.qualified_name) {
          fail_at(at, "end tag </" + name + "> does not close <" + element.qualified_name + "> (line " + std::to_string(element.line) + ")");
        }
        return element;
      }
      if (starts_with("<!--")) {
        skip_comment();
      } else if (starts_with("<![CDATA[")) {
        const std::size_t start = pos_;
        pos_ += 9;
        const std::size_t end = doc_.find("]]>", pos_);
        if (end == std::string_view::npos) fail_at(start, "CDATA section is not closed");
        for (std::size_t i = pos_; i < end; ++i) {
          if (doc_[i] == '\r') {
            element.text += '\n';
            if (i + 1 < end && doc_[i + 1] == '\n') ++i;
          } else {
            element.text += doc_[i];
          }
        }
        pos_ = end + 3;
      } else if (starts_with("<?")) {
        skip_processing_instruction();
      } else if (starts_with("<!")) {
        fail("markup declarations (<!...>) are not allowed in a CAP document");
      } else if (starts_with("<")) {
        element.children.push_back(read_element(depth + 1));
      } else {
        read_text(element.text);
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
  std::size_t counted_pos_ = 0;
  std::size_t counted_line_ = 1;
};

// --- the CAP 1.2 structure, as the XSD's sequences ----------------------------------------

enum class ValueKind {
  Text,          // xs:string
  Token,         // identifier, sender: no spaces, commas, '<', '&'
  RequiredText,  // event, areaDesc: xs:string that CAP requires to say something
  DateTime,      // xs:dateTime restricted by CAP's pattern
  Language,      // xs:language
  Integer,       // xs:integer
  Decimal,       // xs:decimal
  References,    // space-separated sender,identifier,sent triplets
  Enumerated,    // one of `values`
  Complex,       // elements only, per `children`
};

constexpr unsigned kUnbounded = 0;  // as max_occurs

struct ElementRule {
  std::string_view name;
  unsigned min_occurs = 1;
  unsigned max_occurs = 1;
  ValueKind kind = ValueKind::Text;
  std::span<const std::string_view> values = {};
  std::span<const ElementRule> children = {};
};

constexpr ElementRule leaf(std::string_view name, unsigned min_occurs, unsigned max_occurs, ValueKind kind = ValueKind::Text) {
  return ElementRule{name, min_occurs, max_occurs, kind, {}, {}};
}
constexpr ElementRule one_of(std::string_view name, unsigned min_occurs, unsigned max_occurs, std::span<const std::string_view> values) {
  return ElementRule{name, min_occurs, max_occurs, ValueKind::Enumerated, values, {}};
}
constexpr ElementRule group(std::string_view name, unsigned min_occurs, unsigned max_occurs, std::span<const ElementRule> children) {
  return ElementRule{name, min_occurs, max_occurs, ValueKind::Complex, {}, children};
}

// The enumerations of the CAP 1.2 XSD, in its order.
constexpr std::string_view kStatusValues[] = {"Actual", "Exercise", "System", "Test", "Draft"};
constexpr std::string_view kMsgTypeValues[] = {"Alert", "Update", "Cancel", "Ack", "Error"};
constexpr std::string_view kScopeValues[] = {"Public", "Restricted", "Private"};
constexpr std::string_view kCategoryValues[] = {"Geo",    "Met",  "Safety",    "Security", "Rescue", "Fire",
                                                "Health", "Env",  "Transport", "Infra",    "CBRNE",  "Other"};
constexpr std::string_view kResponseTypeValues[] = {"Shelter", "Evacuate", "Prepare",  "Execute", "Avoid",
                                                    "Monitor", "Assess",   "AllClear", "None"};
constexpr std::string_view kUrgencyValues[] = {"Immediate", "Expected", "Future", "Past", "Unknown"};
constexpr std::string_view kSeverityValues[] = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"};
constexpr std::string_view kCertaintyValues[] = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"};

// eventCode, parameter, geocode
constexpr ElementRule kNamedValueRules[] = {leaf("valueName", 1, 1), leaf("value", 1, 1)};

constexpr ElementRule kResourceRules[] = {
    leaf("resourceDesc", 1, 1), leaf("mimeType", 1, 1),  leaf("size", 0, 1, ValueKind::Integer),
    leaf("uri", 0, 1),          leaf("derefUri", 0, 1), leaf("digest", 0, 1),
};

constexpr ElementRule kAreaRules[] = {
    leaf("areaDesc", 1, 1, ValueKind::RequiredText),
    leaf("polygon", 0, kUnbounded),
    leaf("circle", 0, kUnbounded),
    group("geocode", 0, kUnbounded, kNamedValueRules),
    leaf("altitude", 0, 1, ValueKind::Decimal),
    leaf("ceiling", 0, 1, ValueKind::Decimal),
};

constexpr ElementRule kInfoRules[] = {
    leaf("language", 0, 1, ValueKind::Language),
    one_of("category", 1, kUnbounded, kCategoryValues),
    leaf("event", 1, 1, ValueKind::RequiredText),
    one_of("responseType", 0, kUnbounded, kResponseTypeValues),
    one_of("urgency", 1, 1, kUrgencyValues),
    one_of("severity", 1, 1, kSeverityValues),
    one_of("certainty", 1, 1, kCertaintyValues),
    leaf("audience", 0, 1),
    group("eventCode", 0, kUnbounded, kNamedValueRules),
    leaf("effective", 0, 1, ValueKind::DateTime),
    leaf("onset", 0, 1, ValueKind::DateTime),
    leaf("expires", 0, 1, ValueKind::DateTime),
    leaf("senderName", 0, 1),
    leaf("headline", 0, 1),
    leaf("description", 0, 1),
    leaf("instruction", 0, 1),
    leaf("web", 0, 1),
    leaf("contact", 0, 1),
    group("parameter", 0, kUnbounded, kNamedValueRules),
    group("resource", 0, kUnbounded, kResourceRules),
    group("area", 0, kUnbounded, kAreaRules),
};

constexpr ElementRule kAlertRules[] = {
    leaf("identifier", 1, 1, ValueKind::Token),
    leaf("sender", 1, 1, ValueKind::Token),
    leaf("sent", 1, 1, ValueKind::DateTime),
    one_of("status", 1, 1, kStatusValues),
    one_of("msgType", 1, 1, kMsgTypeValues),
    leaf("source", 0, 1),
    one_of("scope", 1, 1, kScopeValues),
    leaf("restriction", 0, 1),
    leaf("addresses", 0, 1),
    leaf("code", 0, kUnbounded),
    leaf("note", 0, 1),
    leaf("references", 0, 1, ValueKind::References),
    leaf("incidents", 0, 1),
    group("info", 0, kUnbounded, kInfoRules),
};

std::uint32_t two_digits(std::string_view text, std::size_t at) {
  return static_cast<std::uint32_t>(text[at] - '0') * 10U + static_cast<std::uint32_t>(text[at + 1] - '0');
}

// Why `value` is not a CAP time, or nullopt if it is one: the XSD pattern
// \d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d on top of xs:dateTime's own ranges (the
// pattern's ',' is not a sign xs:dateTime accepts, so it is refused too).
std::optional<std::string> cap_time_problem(std::string_view value) {
  if (value.size() > 19 && (value.back() == 'Z' || value.back() == 'z')) {
    return "ends in 'Z'; CAP 1.2 forbids alphabetic time zones (UTC is written -00:00)";
  }
  if (value.size() > 19 && value[19] == '.') return "has fractional seconds, which CAP 1.2's pattern does not allow";
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd?dd:dd";
  bool shape_ok = value.size() == kShape.size();
  for (std::size_t i = 0; shape_ok && i < kShape.size(); ++i) {
    const char want = kShape[i];
    shape_ok = want == 'd' ? is_ascii_digit(value[i]) : want == '?' ? (value[i] == '+' || value[i] == '-') : value[i] == want;
  }
  if (!shape_ok) return "does not match CAP's form YYYY-MM-DDThh:mm:ss+hh:mm (or -hh:mm)";
  const std::uint32_t year = two_digits(value, 0) * 100U + two_digits(value, 2);
  const std::uint32_t month = two_digits(value, 5);
  const std::uint32_t day = two_digits(value, 8);
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month}, std::chrono::day{day}};
  if (year == 0 || !date.ok()) return "is not a calendar date";
  if (two_digits(value, 11) > 23 || two_digits(value, 14) > 59 || two_digits(value, 17) > 59) return "is not a time of day";
  const std::uint32_t offset_hours = two_digits(value, 20);
  const std::uint32_t offset_minutes = two_digits(value, 23);
  if (offset_hours > 14 || offset_minutes > 59 || (offset_hours == 14 && offset_minutes != 0)) return "has an offset beyond ±14:00";
  return std::nullopt;
}

// A value quoted in a problem: enumeration values and times only, never free text, and cut short.
std::string quoted(std::string_view value) {
  constexpr std::size_t kLimit = 40;
  std::string out = "'";
  out += value.substr(0, kLimit);
  if (value.size() > kLimit) out += "...";
  out += "'";
  return out;
}

class StructureChecker {
 public:
  explicit StructureChecker(std::vector<std::string>& problems) : problems_(problems) {}

  void check(XmlElement& root) {
    resolve_namespaces(root);
    if (root.local_name != "alert") {
      report(root.line, "the root element is <" + root.qualified_name + ">; a CAP message is an <alert>");
      return;
    }
    if (root.namespace_uri != kCapNamespace) {
      report(root.line, "wrong namespace: <alert> is " + describe_namespace(root.namespace_uri) + ", CAP 1.2 requires '" +
                            std::string(kCapNamespace) + "'");
    }
    check_children(root, kAlertRules);
    check_alert_rules(root);
  }

 private:
  void report(std::size_t line, std::string message) { problems_.push_back("line " + std::to_string(line) + ": " + std::move(message)); }

  static std::string describe_namespace(std::string_view uri) {
    return uri.empty() ? "in no namespace" : "in namespace '" + std::string(uri) + "'";
  }

  // Namespace declarations are allowed on the root only (CAP defines no attributes); a prefix
  // declared there applies to the whole document.
  void resolve_namespaces(XmlElement& root) {
    std::string default_namespace;
    std::vector<std::pair<std::string, std::string>> prefixes;
    for (const auto& [name, value] : root.attributes) {
      if (name == "xmlns") {
        default_namespace = value;
      } else if (name.starts_with("xmlns:")) {
        prefixes.emplace_back(name.substr(6), value);
      } else {
        report(root.line, "attribute '" + name + "' on <" + root.qualified_name +
                              ">: CAP defines no attributes (only xmlns declarations may appear)");
      }
    }
    resolve(root, default_namespace, prefixes, true);
  }

  void resolve(XmlElement& element, const std::string& default_namespace,
               const std::vector<std::pair<std::string, std::string>>& prefixes, bool is_root) {
    if (!is_root && !element.attributes.empty()) {
      report(element.line, "attribute '" + element.attributes.front().first + "' on <" + element.qualified_name +
                               ">: CAP elements carry no attributes (namespaces are declared on <alert> only)");
    }
    if (element.prefix.empty()) {
      element.namespace_uri = default_namespace;
    } else {
      const auto found = std::find_if(prefixes.begin(), prefixes.end(),
                                      [&element](const auto& entry) { return entry.first == element.prefix; });
      if (found == prefixes.end()) {
        report(element.line, "namespace prefix '" + element.prefix + "' of <" + element.qualified_name + "> is not declared");
      } else {
        element.namespace_uri = found->second;
      }
    }
    for (XmlElement& child : element.children) resolve(child, default_namespace, prefixes, false);
  }

  // The XSD's sequence: each child must be one the parent allows, in the XSD's order, no more
  // often than allowed; then every required one must have been seen.
  void check_children(const XmlElement& parent, std::span<const ElementRule> rules) {
    std::vector<unsigned> seen(rules.size(), 0);
    std::size_t cursor = 0;  // index of the rule matched last: later children must not go back
    bool any_matched = false;
    for (const XmlElement& child : parent.children) {
      if (child.namespace_uri != kCapNamespace && child.namespace_uri != parent.namespace_uri) {
        if (child.namespace_uri == kXmlDsigNamespace) {
          report(child.line, "XML signature <" + child.qualified_name + "> is not supported by this check (sign after checking)");
          continue;
        }
        report(child.line, "<" + child.qualified_name + "> is " + describe_namespace(child.namespace_uri) + ", not in CAP 1.2's namespace");
      }
      const auto rule = std::find_if(rules.begin(), rules.end(), [&child](const ElementRule& r) { return r.name == child.local_name; });
      if (rule == rules.end()) {
        report(child.line, "unknown element <" + child.local_name + "> in <" + parent.local_name + ">");
        continue;
      }
      const auto index = static_cast<std::size_t>(rule - rules.begin());
      if (any_matched && index < cursor) {
        report(child.line, "<" + child.local_name + "> is out of order in <" + parent.local_name + ">: CAP 1.2 puts it before <" +
                               std::string(rules[cursor].name) + ">");
      } else {
        cursor = index;
        any_matched = true;
      }
      ++seen[index];
      if (rule->max_occurs != kUnbounded && seen[index] == rule->max_occurs + 1) {
        const std::string limit = rule->max_occurs == 1 ? std::string("once") : std::to_string(rule->max_occurs) + " times";
        report(child.line, "<" + child.local_name + "> appears more than " + limit + " in <" + parent.local_name + ">");
      }
      check_element(child, *rule);
    }
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (seen[i] < rules[i].min_occurs) {
        report(parent.line, "missing required element <" + std::string(rules[i].name) + "> in <" + parent.local_name + ">");
      }
    }
  }

  void check_element(const XmlElement& element, const ElementRule& rule) {
    const std::string tag = "<" + element.local_name + ">";
    if (rule.kind == ValueKind::Complex) {
      if (!is_blank(element.text)) report(element.line, tag + " must contain only elements, not text");
      check_children(element, rule.children);
      return;
    }
    if (!element.children.empty()) {
      report(element.line, tag + " must contain only text, not elements");
      return;
    }
    const std::string& text = element.text;
    // What XML itself allows but a CAP text must not carry (the reader already refused C0).
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::optional<char32_t> c = next_code_point(text, pos);
      if (c && is_discouraged_control(*c)) {
        report(element.line, tag + " contains the control character " + code_point_name(*c));
        break;
      }
    }
    switch (rule.kind) {
      case ValueKind::Text:
      case ValueKind::Complex:
        break;
      case ValueKind::Token:
        if (text.empty()) {
          report(element.line, tag + " is empty");
        } else if (std::any_of(text.begin(), text.end(), [](char c) { return is_ascii_space(c) || c == ',' || c == '<' || c == '&'; })) {
          report(element.line, tag + " contains a space, comma, '<' or '&', which CAP 1.2 forbids in identifiers and senders");
        }
        break;
      case ValueKind::RequiredText:
        if (is_blank(text)) report(element.line, tag + " is empty");
        break;
      case ValueKind::DateTime:
        if (const auto problem = cap_time_problem(trim(text))) report(element.line, tag + " " + quoted(trim(text)) + " " + *problem);
        break;
      case ValueKind::Language:
        if (!is_language_tag(trim(text))) report(element.line, tag + " " + quoted(trim(text)) + " is not a language tag (xs:language)");
        break;
      case ValueKind::Integer:
      case ValueKind::Decimal:
        if (!is_number(trim(text), rule.kind == ValueKind::Decimal)) {
          const std::string_view wanted = rule.kind == ValueKind::Decimal ? "a decimal number" : "an integer";
          report(element.line, tag + " " + quoted(trim(text)) + " is not " + std::string(wanted));
        }
        break;
      case ValueKind::References:
        check_references(element);
        break;
      case ValueKind::Enumerated:
        // xs:string enumerations: exact match, white space included.
        if (std::find(rule.values.begin(), rule.values.end(), std::string_view(text)) == rule.values.end()) {
          std::string allowed;
          for (const std::string_view value : rule.values) allowed += (allowed.empty() ? "" : ", ") + std::string(value);
          report(element.line, tag + " value " + quoted(text) + " is not one of CAP 1.2's values (" + allowed + ")");
        }
        break;
    }
  }

  static bool is_number(std::string_view text, bool allow_fraction) {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    const std::size_t dot = allow_fraction ? text.find('.') : std::string_view::npos;
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return false;
    return std::all_of(whole.begin(), whole.end(), is_ascii_digit) && std::all_of(fraction.begin(), fraction.end(), is_ascii_digit);
  }

  // CAP 1.2: "sender,identifier,sent" for each earlier message, separated by white space.
  void check_references(const XmlElement& element) {
    std::string_view rest = element.text;
    std::size_t count = 0;
    while (true) {
      while (!rest.empty() && is_ascii_space(rest.front())) rest.remove_prefix(1);
      if (rest.empty()) break;
      std::size_t end = 0;
      while (end < rest.size() && !is_ascii_space(rest[end])) ++end;
      const std::string_view triplet = rest.substr(0, end);
      rest.remove_prefix(end);
      ++count;
      const std::string which = "<references> entry " + std::to_string(count);
      const std::size_t first = triplet.find(',');
      const std::size_t second = first == std::string_view::npos ? first : triplet.find(',', first + 1);
      if (second == std::string_view::npos || triplet.find(',', second + 1) != std::string_view::npos) {
        report(element.line, which + " is not a sender,identifier,sent triplet");
        continue;
      }
      const std::string_view sender = triplet.substr(0, first);
      const std::string_view identifier = triplet.substr(first + 1, second - first - 1);
      const std::string_view sent = triplet.substr(second + 1);
      if (sender.empty() || identifier.empty()) report(element.line, which + " has an empty sender or identifier");
      if (sender.find_first_of("<&") != std::string_view::npos || identifier.find_first_of("<&") != std::string_view::npos) {
        report(element.line, which + " has '<' or '&' in its sender or identifier");
      }
      if (const auto problem = cap_time_problem(sent)) report(element.line, which + ": sent " + quoted(sent) + " " + *problem);
    }
    if (count == 0) report(element.line, "<references> is empty");
  }

  static const XmlElement* find_child(const XmlElement& parent, std::string_view name) {
    for (const XmlElement& child : parent.children) {
      if (child.local_name == name) return &child;
    }
    return nullptr;
  }

  // Rules of the specification the XSD cannot express.
  void check_alert_rules(const XmlElement& alert) {
    if (const XmlElement* scope = find_child(alert, "scope")) {
      const XmlElement* restriction = find_child(alert, "restriction");
      if (scope->text == "Restricted" && (restriction == nullptr || is_blank(restriction->text))) {
        report(scope->line, "scope is Restricted but <restriction> is missing or empty (CAP 1.2 requires it with Restricted)");
      }
      const XmlElement* addresses = find_child(alert, "addresses");
      if (scope->text == "Private" && (addresses == nullptr || is_blank(addresses->text))) {
        report(scope->line, "scope is Private but <addresses> is missing or empty (CAP 1.2 requires it with Private)");
      }
    }
    if (const XmlElement* msg_type = find_child(alert, "msgType")) {
      const std::string& type = msg_type->text;
      if ((type == "Update" || type == "Cancel" || type == "Ack" || type == "Error") && find_child(alert, "references") == nullptr) {
        report(msg_type->line, "msgType " + type + " without <references>: it must name the earlier message(s) it refers to");
      }
    }
  }

  std::vector<std::string>& problems_;
};

}  // namespace

std::vector<std::string> check_cap_structure(std::string_view xml) {
  std::vector<std::string> problems;
  XmlElement root;
  try {
    root = XmlReader(xml).read();
  } catch (const ReadError& error) {
    problems.emplace_back(error.what());
    return problems;
  }
  StructureChecker(problems).check(root);
  return problems;
}

}  // namespace pact::situation
